#!/usr/bin/env python3
"""Writes the recordings the dashboard's golden frames are drawn from (agtop JSON lines, schema 1).

They are synthetic sessions shaped after real machines: chip names, core counts, cluster layouts
and DVFS tops from the Apple captures (tests/data/apple, tests/dumps), power levels
like the captures' (M4 Max idle ~7 W package, GPU bursts ~45 W). Values follow fixed formulas, so
running this again gives the same files.

    python3 tests/data/make_recordings.py      (from the repository root)
"""
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
GIB = 1024 ** 3
MODES = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "guest", "guest_nice"]
RAILS = ["package", "cpu", "gpu", "ane", "dram", "system", "uncore"]


def wave(t, period, lo, hi, phase=0.0):
    return lo + (hi - lo) * (0.5 + 0.5 * math.sin(2 * math.pi * (t + phase) / period))


def r(v, nd=4):
    return None if v is None else round(v, nd)


def core(cpu, util, freq, t, apple):
    secs = {m: None for m in MODES}
    busy = 1000 + 37 * cpu + t * util
    secs["user"] = r(busy * 0.7, 2)
    secs["system"] = r(busy * 0.3, 2)
    secs["nice"] = 0 if apple else r(0.5 * cpu, 2)
    secs["idle"] = r(50000 + t * (1 - util) + cpu, 2)
    if not apple:
        for m in ("iowait", "irq", "softirq", "steal", "guest", "guest_nice"):
            secs[m] = r(0.01 * (cpu + 1), 2)
    return {"cpu": cpu, "util": r(util), "active": r(min(1.0, util * 1.08)) if apple else None,
            "freq_hz": freq, "seconds": secs}


def cluster(name, kind, die, cores, fmax, power=None):
    utils = [c["util"] for c in cores if c["util"] is not None]
    freqs = [c["freq_hz"] for c in cores if c["freq_hz"] is not None]
    act = [c["active"] for c in cores if c["active"] is not None]
    return {"name": name, "kind": kind, "die": die,
            "util": r(sum(utils) / len(utils)) if utils else None,
            "active": r(sum(act) / len(act)) if act else None,
            "freq_hz": max(freqs) if freqs else None, "freq_max_hz": fmax,
            "power_w": r(power, 3) if power is not None else None, "cores": cores}


def rails(values, joules):
    return {k: {"watts": r(values.get(k), 3), "joules": r(joules.get(k), 3)} for k in RAILS}


T0 = 1795470000.0  # the first sample's time

# (pid, ppid, cmdline, name, cpu, rss, threads, user, uid, state, started seconds before T0)
APPLE_PROCS = [
    (1, 0, "/sbin/launchd", "launchd", 0.01, 2.1e7, 4, "root", 0, "S", 86400 * 3),
    (101, 1, "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome --type=renderer",
     "Google Chrome", 0.885, 1.36e9, 42, "ada", 501, "S", 7200),
    (202, 1203, "/opt/homebrew/bin/python3 train.py --model llama-3-8b --epochs 3", "python3",
     3.2, 9.1e9, 24, "ada", 501, "R", 2723),
    (303, 1, "/System/Library/PrivateFrameworks/SkyLight.framework/Resources/WindowServer -daemon",
     "WindowServer", 0.05, 3.5e8, 18, "_windowserver", 88, "S", 86400 * 3 - 20),
    (404, 1, "ollama serve", "ollama", 0.21, 4.2e9, 31, "ada", 501, "S", 86400 + 3600),
    (505, 1203, "/usr/local/bin/node /srv/app/server.js", "node", 0.12, 2.4e8, 11, "ada", 501,
     "S", 640),
    (606, 1, "/Applications/Visual Studio Code.app/Contents/MacOS/Electron", "Electron", 0.08,
     6.1e8, 29, "ada", 501, "S", 5400),
    (707, 1, "/usr/sbin/sshd -D", "sshd", 0.0, 8.0e6, 1, "root", 0, "S", 86400 * 3 - 5),
    (808, 1203, "docker run --rm -it mlx-bench", "docker", 0.04, 5.5e7, 9, "ada", 501, "S", 95),
    (909, 0, "kernel_task", "kernel_task", 0.3, 2.0e7, 350, "root", 0, "R", 86400 * 3 + 10),
    (1001, 1102, "/usr/bin/vllm serve --port 8000", "vllm", 1.4, 1.2e10, 64, "ada", 501, "R",
     3 * 3600 + 125),
    (1102, 1, "tmux new-session -s main", "tmux", 0.01, 6.0e6, 1, "ada", 501, "S", 86400 + 60),
    (1203, 1102, "-zsh", "zsh", 0.0, 4.0e6, 1, "ada", 501, "S", 86400),
]

# a build on a Linux box: make runs the compiler driver, which runs cc1 (the program people
# see as "cc1" twenty times in a plain process list)
LINUX_PROCS = [
    (1, 0, "/sbin/init splash", "systemd", 0.01, 1.2e7, 1, "root", 0, "S", 86400 * 9),
    (2, 0, "", "kthreadd", 0.0, 0.0, 1, "root", 0, "S", 86400 * 9),
    (404, 1, "ollama serve", "ollama", 0.21, 4.2e9, 31, "ollama", 998, "S", 86400 + 3600),
    (505, 1203, "/usr/local/bin/node /srv/app/server.js", "node", 0.12, 2.4e8, 11, "ada", 1000,
     "S", 640),
    (707, 1, "/usr/sbin/sshd -D", "sshd", 0.0, 8.0e6, 1, "root", 0, "S", 86400 * 9),
    (808, 1203, "docker run --rm -it mlx-bench", "docker", 0.04, 5.5e7, 9, "ada", 1000, "S", 95),
    (1001, 1102, "/usr/bin/vllm serve --port 8000", "vllm", 1.4, 1.2e10, 64, "ada", 1000, "R",
     3 * 3600 + 125),
    (1102, 1, "tmux new-session -s main", "tmux", 0.01, 6.0e6, 1, "ada", 1000, "S", 86400 + 60),
    (1203, 1102, "-bash", "bash", 0.0, 4.0e6, 1, "ada", 1000, "S", 86400),
    (3000, 1203, "make -j16", "make", 0.02, 9.0e6, 1, "ada", 1000, "S", 48),
]
for k, src in enumerate(["src/view/panels.c", "src/view/dashboard.c", "src/procsel.c",
                         "src/sample.c", "src/export/json_write.c", "src/apple/decode.c"]):
    LINUX_PROCS.append((3100 + 2 * k, 3000, "gcc -O2 -g -Wall -Isrc -c " + src, "gcc", 0.0,
                        5.0e6, 1, "ada", 1000, "S", 3 + k))
    LINUX_PROCS.append((3101 + 2 * k, 3100 + 2 * k,
                        "/usr/lib/gcc/x86_64-linux-gnu/12/cc1 -quiet -I src " + src +
                        " -quiet -dumpbase " + src.split("/")[-1] + " -O2 -Wall -o /tmp/cc%dx.s" % k,
                        "cc1", 0.93 - 0.04 * k, 1.1e8 + 2e7 * k, 1, "ada", 1000, "R", 2 + k))


# the per-process ledger where a source has it: GPU share and memory (Linux DRM fdinfo and NVML;
# macOS AGX clients), power from the process's own energy counter (macOS ri_energy_nj)
GPU_USE = {202: (0.62, 7.5 * GIB), 1001: (0.81, 20.0 * GIB), 404: (0.12, 3.1 * GIB),
           101: (0.04, 0.3 * GIB)}
APPLE_WATTS = {202: 6.5, 1001: 4.1, 101: 1.2, 404: 0.6, 606: 0.3, 505: 0.2}


def procs(t, apple):
    base = APPLE_PROCS if apple else LINUX_PROCS
    out = []
    for pid, ppid, cmd, name, cpu, rss, thr, user, uid, state, age in base:
        load = cpu * wave(t, 7 + pid % 5, 0.6, 1.3, pid / 100)
        gu, gm = GPU_USE.get(pid, (0.0, 0.0))
        p = {"pid": pid, "ppid": ppid, "name": name, "cmdline": cmd, "cpu": r(load),
             "rss_bytes": float(int(rss * wave(t, 11, 0.98, 1.02))), "threads": thr,
             "uid": uid, "user": user, "state": state, "start_time": T0 - age,
             "gpu_util": r(gu * wave(t, 13, 0.7, 1.1, pid / 50)), "gpu_mem_bytes": float(int(gm))}
        if apple:  # another user's counter is withheld: N/A, never 0
            w = APPLE_WATTS.get(pid)
            p["energy_w"] = r(w * wave(t, 9, 0.8, 1.2, pid / 70), 3) if w else (
                None if uid != 501 else 0.0)
        out.append(p)
    out.sort(key=lambda p: (-(p["cpu"] or 0), -(p["rss_bytes"] or 0), p["pid"]))
    return {"total": len(out) + 400, "list": out}


def temps_apple(t, cpu_c, gpu_c):
    return [
        {"chip": "smc", "sensor": "Tp01", "label": "", "kind": "cpu", "celsius": r(cpu_c, 1)},
        {"chip": "smc", "sensor": "Tp05", "label": "", "kind": "cpu", "celsius": r(cpu_c - 2.5, 1)},
        {"chip": "smc", "sensor": "Tg0f", "label": "", "kind": "gpu", "celsius": r(gpu_c, 1)},
    ]


def apple_session(chip, os_name, topo, gpu_cores, gpu_fmax, mem_total, bw_ref, n=40,
                  thermal=lambda t: "nominal", dies=1, power_scale=1.0, machine=None):
    """topo: list of (name, kind, die, first_cpu, ncores, fmax_hz)."""
    lines = []
    energy = {k: 0.0 for k in ("package", "cpu", "gpu", "ane", "dram")}
    die_energy = [{k: 0.0 for k in ("package", "cpu", "gpu", "ane", "dram")} for _ in range(dies)]
    for i in range(n):
        t = float(i)
        clusters = []
        cpu_w = 0.0
        for (name, kind, die, first, ncores, fmax) in topo:
            cores = []
            for k in range(ncores):
                cpu = first + k
                if kind == "efficiency":
                    u = wave(t, 9, 0.08, 0.45, cpu / 3)
                elif kind == "super":
                    u = wave(t, 13, 0.02, 0.95, cpu / 5)
                else:
                    u = wave(t, 17, 0.03, 0.80, cpu / 4)
                f = round(fmax * (0.45 + 0.55 * u) / 1e6) * 1e6
                cores.append(core(cpu, u, f, t, True))
            cl = cluster(name, kind, die, cores, fmax)
            cw = (0.3 if kind == "efficiency" else 1.8) * ncores * cl["util"] * power_scale
            cl["power_w"] = r(cw, 3)
            cpu_w += cw
            clusters.append(cl)
        gpu_u = wave(t, 19, 0.05, 0.92, 3)
        gpu_w = 45.0 * gpu_u * power_scale
        ane_w = wave(t, 23, 0.0, 1.2) if i % 3 else 0.0
        dram_w = 1.5 + 3.0 * gpu_u
        pkg = cpu_w + gpu_w + ane_w
        w = {"cpu": cpu_w, "gpu": gpu_w, "ane": ane_w, "dram": dram_w, "package": pkg}
        for k in energy:
            energy[k] += w[k]
        die_list = []
        for d in range(dies):
            dw = {k: w[k] / dies * (1.04 if d == 0 else 0.96) for k in w}
            for k in die_energy[d]:
                die_energy[d][k] += dw[k]
            die_list.append(rails(dw, die_energy[d]))
        if dies == 1:
            die_list = []
        rd = bw_ref * 1e9 * (0.05 + 0.35 * gpu_u)
        wr = rd * 0.3
        agents = [
            {"name": "ECPU", "read_bps": r(rd * 0.02, 0), "write_bps": r(wr * 0.02, 0)},
            {"name": "PCPU", "read_bps": r(rd * 0.25, 0), "write_bps": r(wr * 0.25, 0)},
            {"name": "GFX", "read_bps": r(rd * 0.68, 0), "write_bps": r(wr * 0.68, 0)},
            {"name": "MEDIA", "read_bps": r(rd * 0.05, 0), "write_bps": r(wr * 0.05, 0)},
        ]
        used = mem_total * wave(t, 29, 0.36, 0.41)
        ncpus = sum(x[4] for x in topo)
        lines.append({
            "schema": 1, "agtop": "0.1.0", "seq": i + 1, "time": T0 + t,
            "interval_s": 1.0, "source": "ioreport",
            "host": {"hostname": "studio", "os": os_name, "chip": chip, "arch": "arm64",
                     "cpus": ncpus, "gpu_cores": gpu_cores},
            "cpu": {"util": r(sum(c["util"] * len(c["cores"]) for c in clusters) / ncpus),
                    "clusters": clusters},
            "gpus": [{"name": chip + " GPU", "vendor": "apple", "cores": gpu_cores,
                      "util": r(gpu_u), "freq_hz": round(gpu_fmax * (0.25 + 0.75 * gpu_u) / 1e6) * 1e6,
                      "freq_max_hz": gpu_fmax, "power_w": r(gpu_w, 3), "energy_j": None,
                      "mem_used_bytes": None, "mem_total_bytes": None, "temp_c": None}],
            "npu": {"present": True, "name": "ANE", "util": None},
            "power": rails(w, energy), "power_limit_w": None, "dies": die_list,
            "memory": {"total_bytes": mem_total, "used_bytes": float(int(used)),
                       "available_bytes": float(int(mem_total - used)),
                       "swap_total_bytes": 2.0 * GIB, "swap_used_bytes": 0.25 * GIB},
            "bandwidth": {"quality": "estimated", "read_bps": r(rd, 0), "write_bps": r(wr, 0),
                          "total_bps": r(rd + wr, 0), "agents": agents},
            "thermal_pressure": thermal(t),
            "temps": temps_apple(t, 48 + 30 * gpu_u, 44 + 35 * gpu_u),
            "processes": procs(t, True),
            "notes": {},
        })
        if machine:
            machine(lines[-1], i, t, w, gpu_u)
    return lines


def macbook(line, i, t, w, gpu_u):
    """A MacBook Pro on battery: the SMC's PSTR is the package and DRAM plus ~6 W for the rest
    (display, SSD, radios), the battery gives it, two fans follow the GPU, nothing throttles."""
    system = w["package"] + w["dram"] + 6.0 + wave(t, 11, 0.0, 1.5)
    line["power"]["system"] = {"watts": r(system, 3), "joules": None}
    line.update({
        "system_from": "SMC PSTR", "input_w": 0.0,
        "battery": {"percent": r(82.0 - 0.05 * i, 2), "state": "discharging", "on_ac": False,
                    "time_to_empty_s": float(int(4 * 3600 - 40 * i)), "time_to_full_s": None,
                    "power_w": r(system, 3), "adapter_w": None},
        "fans": [{"name": "F0", "rpm": float(round(1800 + 3500 * gpu_u)), "min_rpm": 1200.0,
                  "max_rpm": 5779.0},
                 {"name": "F1", "rpm": float(round(1900 + 3600 * gpu_u)), "min_rpm": 1200.0,
                  "max_rpm": 6150.0}],
        "throttle": {"causes": [], "low_power": False, "cpu_speed_limit": None},
    })


def hot_and_held(line, i, t, w, gpu_u):
    """...and past its limits: thermal pressure above nominal (a throttle cause the THERMAL
    alert already names) and low power mode switched on from the third sample."""
    macbook(line, i, t, w, gpu_u)
    causes = (["thermal"] if line["thermal_pressure"] != "nominal" else []) + \
        (["low_power"] if i >= 2 else [])
    line["throttle"] = {"causes": causes, "low_power": i >= 2, "cpu_speed_limit": None}


def linux_two_gpus(n=40):
    lines = []
    energy = {"package": 181234.5, "cpu": 90234.25, "dram": 12345.0}
    for i in range(n):
        t = float(i)
        cores = [core(c, wave(t, 11, 0.05, 0.9, c / 2), round(wave(t, 7, 1.2e9, 4.8e9, c) / 1e6) * 1e6,
                      t, False) for c in range(16)]
        cl = cluster("CPU", "generic", 0, cores, 5.0e9)
        cw = 12 + 70 * cl["util"]
        gpus = []
        for g in range(2):
            u = wave(t, 13 + g * 4, 0.1, 0.97, g * 3)
            gpus.append({"name": "NVIDIA GeForce RTX 4090" if g == 0 else "NVIDIA RTX A4000",
                         "vendor": "nvidia", "cores": None, "util": r(u),
                         "freq_hz": round((210 + 2300 * u)) * 1e6, "freq_max_hz": 2.52e9,
                         "power_w": r(30 + 380 * u if g == 0 else 15 + 120 * u, 2),
                         "energy_j": r(5.0e6 + 400 * t * (g + 1), 1),
                         "mem_used_bytes": float(int((3 + 12 * u) * GIB)),
                         "mem_total_bytes": 24.0 * GIB if g == 0 else 16.0 * GIB,
                         "temp_c": r(38 + 40 * u, 0)})
        # the GPU rail is the discrete GPUs' sum, as the NVML plug-in reports it
        w = {"package": cw + 8, "cpu": cw, "dram": 4.5,
             "gpu": sum(g["power_w"] for g in gpus)}
        for k in w:
            energy[k] = energy.get(k, 0.0) + w[k]
        used = 64 * GIB * wave(t, 31, 0.2, 0.3)
        lines.append({
            "schema": 1, "agtop": "0.1.0", "seq": i + 1, "time": T0 + t,
            "interval_s": 1.0, "source": "linux",
            "host": {"hostname": "gpubox", "os": "Linux 6.1.0-18-amd64",
                     "chip": "AMD Ryzen 9 7950X 16-Core Processor", "arch": "x86_64", "cpus": 16,
                     "gpu_cores": None},
            "cpu": {"util": cl["util"], "clusters": [cl]},
            "gpus": gpus,
            "npu": {"present": False, "name": "", "util": None},
            "power": rails(w, energy), "power_limit_w": 170.0, "dies": [],
            "memory": {"total_bytes": 64.0 * GIB, "used_bytes": float(int(used)),
                       "available_bytes": float(int(64 * GIB - used)),
                       "swap_total_bytes": 8.0 * GIB, "swap_used_bytes": 0.0},
            "bandwidth": {"quality": "absent", "read_bps": None, "write_bps": None,
                          "total_bps": None, "agents": []},
            "thermal_pressure": "unknown",
            "temps": [{"chip": "pci0000_00_0000_00_18_3", "sensor": "temp1", "label": "Tctl",
                       "kind": "other", "celsius": r(55 + 30 * cl["util"], 3)},
                      {"chip": "pci0000_00_0000_00_18_3", "sensor": "temp2", "label": "Tdie",
                       "kind": "cpu", "celsius": r(45 + 30 * cl["util"], 3)}],
            "processes": procs(t, False),
            "notes": {"npu": "no neural engine on this machine",
                      "power.ane": "no neural engine on this machine",
                      "bandwidth": "Linux exposes no memory bandwidth counters without root",
                      "thermal": "Linux has no thermal pressure level"},
        })
    return lines


def linux_vm(n=20):
    """A small x86 cloud VM: CPUs, memory and processes, and nothing else to read (no power
    rails, no sensors, no GPU, no neural engine): the panels without data fold to one line."""
    lines = []
    for i in range(n):
        t = float(i)
        cores = [core(c, wave(t, 9, 0.3, 0.98, c / 2), 2.6e9, t, False) for c in range(4)]
        cl = cluster("CPU", "generic", 0, cores, None)
        used = 8 * GIB * wave(t, 23, 0.55, 0.7)
        lines.append({
            "schema": 1, "agtop": "0.1.0", "seq": i + 1, "time": T0 + t,
            "interval_s": 1.0, "source": "linux",
            "host": {"hostname": "ci-runner-7", "os": "Linux 6.1.0-18-cloud-amd64",
                     "chip": "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz", "arch": "x86_64",
                     "cpus": 4, "gpu_cores": None},
            "cpu": {"util": cl["util"], "clusters": [cl]},
            "gpus": [], "npu": {"present": False, "name": "", "util": None},
            "power": rails({}, {}), "power_limit_w": None, "dies": [],
            "memory": {"total_bytes": 8.0 * GIB, "used_bytes": float(int(used)),
                       "available_bytes": float(int(8 * GIB - used)),
                       "swap_total_bytes": 0.0, "swap_used_bytes": 0.0},
            "bandwidth": {"quality": "absent", "read_bps": None, "write_bps": None,
                          "total_bps": None, "agents": []},
            "thermal_pressure": "unknown", "temps": [],
            "processes": procs(t, False),
            "notes": {"power": "no RAPL energy counters on this machine "
                               "(no /sys/class/powercap/intel-rapl)",
                      "temps": "no hwmon or thermal zone sensors on this machine",
                      "npu": "no neural engine on this CPU",
                      "power.ane": "no neural engine on this CPU",
                      "gpu": "no GPU source on this machine",
                      "bandwidth": "Linux exposes no memory bandwidth counters without root",
                      "thermal": "Linux has no thermal pressure level"},
        })
    return lines


def all_unknown(n=5):
    lines = []
    for i in range(n):
        lines.append({
            "schema": 1, "agtop": "0.1.0", "seq": i + 1, "time": T0 + i,
            "interval_s": 1.0, "source": "linux",
            "host": {"hostname": "mystery", "os": "Linux 6.1.0", "chip": "", "arch": "x86_64",
                     "cpus": 4, "gpu_cores": None},
            "cpu": {"util": None, "clusters": [cluster("CPU", "generic", 0, [
                {"cpu": c, "util": None, "active": None, "freq_hz": None,
                 "seconds": {m: None for m in MODES}} for c in range(4)], None)]},
            "gpus": [], "npu": {"present": False, "name": "", "util": None},
            "power": rails({}, {}), "power_limit_w": None, "dies": [],
            "memory": {"total_bytes": None, "used_bytes": None, "available_bytes": None,
                       "swap_total_bytes": None, "swap_used_bytes": None},
            "bandwidth": {"quality": "absent", "read_bps": None, "write_bps": None,
                          "total_bps": None, "agents": []},
            "thermal_pressure": "unknown", "temps": [],
            "processes": {"total": 0, "list": []},
            "notes": {"cpu": "CPU tick counters did not advance during the interval",
                      "cpu.freq": "no cpufreq and no MHz in /proc/cpuinfo",
                      "memory": "cannot read /proc/meminfo",
                      "power": "RAPL energy counters need root",
                      "temps": "no hwmon or thermal zone sensors on this machine",
                      "npu": "no neural engine on this machine",
                      "gpu": "no GPU source on this machine",
                      "bandwidth": "Linux exposes no memory bandwidth counters without root",
                      "thermal": "Linux has no thermal pressure level",
                      "processes": "cannot list processes: Permission denied"},
        })
    return lines


def alerts_firing(n=12):
    """An M4 Max pushed past every threshold: thermal serious, bandwidth saturated, swap rising,
    package power above 85 % of the profile's 153 W (55 + 90 + 8)."""
    lines = apple_session("Apple M4 Max", "macOS 15.3", M4MAX, 40, 1.578e9, 128.0 * GIB, 480, n=n,
                          thermal=lambda t: "serious" if t >= 2 else "fair", power_scale=2.2,
                          machine=hot_and_held)
    for i, l in enumerate(lines):
        l["memory"]["swap_used_bytes"] = (0.5 + 0.4 * i) * GIB
        l["memory"]["swap_total_bytes"] = 12.0 * GIB
        bw = l["bandwidth"]
        bw["read_bps"] = 420e9
        bw["write_bps"] = 60e9
        bw["total_bps"] = 480e9
        bw["agents"][2]["read_bps"] = 400e9
        bw["agents"][2]["write_bps"] = 40e9
        for c in l["cpu"]["clusters"]:
            c["util"] = 0.97
            for k in c["cores"]:
                k["util"] = 0.97
                k["active"] = 0.99
        l["power"]["package"]["watts"] = 140.0 + i
        l["power"]["cpu"]["watts"] = 52.0
        l["power"]["gpu"]["watts"] = 86.0
        # the whole machine and the battery follow the package (the rest: 7.5 W)
        system = l["power"]["package"]["watts"] + l["power"]["dram"]["watts"] + 7.5
        l["power"]["system"]["watts"] = r(system, 3)
        l["battery"]["power_w"] = r(system, 3)
    return lines


M4MAX = [("E-CPU", "efficiency", 0, 0, 4, 2.592e9), ("P0-CPU", "performance", 0, 4, 6, 4.512e9),
         ("P1-CPU", "performance", 0, 10, 6, 4.512e9)]
M5MAX = [("P0-CPU", "performance", 0, 0, 6, 4.608e9), ("P1-CPU", "performance", 0, 6, 6, 4.608e9),
         ("S-CPU", "super", 0, 12, 6, 4.608e9)]
M5 = [("E-CPU", "efficiency", 0, 0, 6, 3.048e9), ("S-CPU", "super", 0, 6, 4, 4.608e9)]
M1ULTRA = [("E0-CPU", "efficiency", 0, 0, 2, 2.064e9), ("P0-CPU", "performance", 0, 2, 4, 3.228e9),
           ("P1-CPU", "performance", 0, 6, 4, 3.228e9), ("E1-CPU", "efficiency", 1, 10, 2, 2.064e9),
           ("P2-CPU", "performance", 1, 12, 4, 3.228e9), ("P3-CPU", "performance", 1, 16, 4, 3.228e9)]


def write(name, lines):
    with open(os.path.join(HERE, name), "w") as f:
        for l in lines:
            f.write(json.dumps(l, separators=(",", ":"), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write("apple_m4max.jsonl", apple_session("Apple M4 Max", "macOS 15.3", M4MAX, 40, 1.578e9,
                                             128.0 * GIB, 480, machine=macbook))
    write("apple_m5max.jsonl", apple_session("Apple M5 Max", "macOS 26.5", M5MAX, 40, 1.6e9,
                                             64.0 * GIB, 480))
    write("apple_m5.jsonl", apple_session("Apple M5", "macOS 26.5", M5, 10, 1.6e9, 16.0 * GIB, 120))
    write("apple_m1ultra.jsonl", apple_session("Apple M1 Ultra", "macOS 27.0", M1ULTRA, 64, 1.296e9,
                                               128.0 * GIB, 800, dies=2))
    write("linux_2gpu.jsonl", linux_two_gpus())
    write("unknown.jsonl", all_unknown())
    write("linux_vm.jsonl", linux_vm())
    write("alerts.jsonl", alerts_firing())

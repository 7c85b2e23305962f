#!/usr/bin/env python3
"""Builds the IOReport dumps the Apple decoder and the macOS source are tested with
(docs/ioreport-dump.md), from the real captures in tests/data/apple (their sources: tests/data/README.md):

  m1.json       MacBookPro17,1 powermetrics plists (pumas): per-CPU and per-cluster DVFS
                residencies, GPU residencies, CPU/GPU energy and elapsed_ns of two real
                samples. Expected values are the plists' own (freq_hz, idle_ratio, *_power).
  m1ultra.json  all-smi's verbatim M1 Ultra pmgr tables and DIE_0_PCPU_CPU0 / DIE_0_ECPU_CPU0
                residencies (3226 MHz at 72.10 %, 1846 MHz at 73.14 %), the real Energy Model
                channel names (DIE_n_ prefixes); the period table voltage-states5 verbatim.
  m3pro.json    socpwrbud's M3 Pro output: per-core and per-cluster DVFS distributions and
                active residencies, GPU 609 MHz at 2.46 %; with the DOWN state M3 adds.
  m4max.json    the M4 Max GPUPH table (non-monotonic) and its baseline / full-load phases
                (338 MHz 12.63 %, 1578 MHz 94.58 %); AMC Stats unsubscribable (as measured on
                macOS 26.5.2), bandwidth from PMP DCS BW histograms; 3-digit core channels.
  m5max.json    M5 Max: the real acc-clusters bytes, the S and M tables, the real period table
                voltage-states5 and GPU-domain voltage-states14 hex from macmon#47, the real
                Energy Model names, and sscope-cli's probe #2 (M 100 % @ 4380, S 100 % @ 4608,
                GPU 37 % @ 338 MHz, M 9.7 W, S 11.4 W, GPU 0.7 W, DRAM 1.6 W, 15+1 GB/s).

What a capture does not have is filled in and marked in each dump's "note": table entries that no
residency occupies, power where the capture has none, tick counters, memory, temperatures and
processes. The C tests assert only what comes from captures (and, for the filled parts, the
arithmetic of what was filled in).

    python3 tests/dumps/make_dumps.py     (from the repository root)
"""
import json
import os
import plistlib
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "data", "apple"))
TICK_HZ = 24e6          # IOReport CPU/GPU state residencies are 24 MHz ticks
TB = (125, 3)           # Apple Silicon mach_timebase_info: 125/3 ns per tick


def table_hex(values, unit=1, volt=700):
    """pmgr voltage-states bytes: {u32 LE frequency, u32 LE voltage}."""
    b = b""
    for i, v in enumerate(values):
        b += struct.pack("<II", int(round(v * unit)), volt + 10 * i if v else 0)
    return b.hex()


def mach(ns):
    return int(round(ns * TB[1] / TB[0]))


def state_channel(group, subgroup, name, states):
    return {"group": group, "subgroup": subgroup, "name": name, "unit": "24Mticks",
            "format": "state", "states": [[n, int(round(r))] for n, r in states]}


def simple(group, subgroup, name, unit, value):
    return {"group": group, "subgroup": subgroup, "name": name, "unit": unit, "format": "simple",
            "value": int(round(value))}


def add_channels(base, delta):
    """Absolute counters after `delta` (a list of channels with window values) on `base`."""
    out = []
    by = {(c["group"], c["subgroup"], c["name"]): c for c in base}
    for c in delta:
        b = by.get((c["group"], c["subgroup"], c["name"]))
        n = dict(c)
        if c["format"] == "state":
            prev = {s[0]: s[1] for s in (b["states"] if b else [])}
            n["states"] = [[s[0], prev.get(s[0], 0) + s[1]] for s in c["states"]]
        else:
            n["value"] = (b["value"] if b else 0) + c["value"]
        out.append(n)
    return out


def zeroed(channels):
    out = []
    for c in channels:
        n = dict(c)
        if c["format"] == "state":
            n["states"] = [[s[0], 1000 + 7 * i] for i, s in enumerate(c["states"])]
        else:
            n["value"] = 10 ** 9 if c["unit"] in ("mJ", "nJ", "uJ", "B") else 0
        out.append(n)
    return out


def readings(windows, seconds, ncpu, ticks_busy, extra0=None, extras=None):
    """windows: list of channel lists (one per window); seconds: window lengths.
    ticks_busy: per window, per CPU busy share (for host_processor_info)."""
    t0 = 10 ** 12
    first = zeroed(windows[0])
    out = [{"mach_time": t0, "time": 1795470000.0, "channels": first,
            "cpu_ticks": [[50000 + 10 * i, 20000, 900000, 0] for i in range(ncpu)]}]
    if extra0:
        out[0].update(extra0)
    for w, (chans, secs) in enumerate(zip(windows, seconds)):
        prev = out[-1]
        ticks = []
        for i in range(ncpu):
            busy = ticks_busy[w][i] if ticks_busy else 0.1
            total = int(round(secs * 100))
            b = int(round(total * busy))
            p = prev["cpu_ticks"][i]
            ticks.append([p[0] + int(round(b * 0.7)), p[1] + (b - int(round(b * 0.7))),
                          p[2] + (total - b), p[3]])
        r = {"mach_time": prev["mach_time"] + mach(secs * 1e9), "time": prev["time"] + secs,
             "channels": add_channels(prev["channels"], chans), "cpu_ticks": ticks}
        if extras:
            r.update(extras[w])
        out.append(r)
    return out


def vm(used_gib, pagesize=16384):
    pages = int(used_gib * (1 << 30) / pagesize)
    return {"free": 100000, "active": pages // 2, "inactive": 30000, "speculative": 2000,
            "wire": pages // 4, "purgeable": 1000, "internal": pages // 2 + 1000,
            "external": 20000, "compressor": pages - pages // 2 - pages // 4}


def read_plist(name):
    with open(os.path.join(DATA, name), "rb") as f:
        data = f.read()
    return plistlib.loads(data[data.index(b"\n") + 1:])


# ---- M1 -------------------------------------------------------------------------------------

def m1():
    p_a, p_b = read_plist("powermetrics_plist_m1_a.plist"), read_plist("powermetrics_plist_m1_b.plist")
    e_tab = [c["freq"] for c in p_a["processor"]["clusters"][0]["dvfm_states"]]
    p_tab = [c["freq"] for c in p_a["processor"]["clusters"][1]["dvfm_states"]]
    g_tab = [0] + [d["freq"] for d in p_a["gpu"]["dvfm_states"]]

    def window(p):
        T = p["elapsed_ns"] / 1e9 * TICK_HZ
        ch = []
        busy = []
        for ci, cl in enumerate(p["processor"]["clusters"]):
            key = "ECPU" if cl["name"].startswith("E") else "PCPU"
            idle = cl["idle_ratio"]
            states = [("IDLE", idle * T)] + [
                ("V%dP%d" % (k, len(cl["dvfm_states"]) - 1 - k), d["used_ratio"] * (1 - idle) * T)
                for k, d in enumerate(cl["dvfm_states"])]
            ch.append(state_channel("CPU Stats", "CPU Complex Performance States", key, states))
            for i, cpu in enumerate(cl["cpus"]):
                st = [("IDLE", cpu["idle_ratio"] * T)] + [
                    ("V%dP%d" % (k, len(cpu["dvfm_states"]) - 1 - k), d["used_ratio"] * T)
                    for k, d in enumerate(cpu["dvfm_states"])]
                ch.append(state_channel("CPU Stats", "CPU Core Performance States",
                                        "%s%d" % (key, i), st))
                busy.append(1 - cpu["idle_ratio"])
        g = p["gpu"]
        ch.append(state_channel("GPU Stats", "GPU Performance States", "GPUPH",
                                [("OFF", g["idle_ratio"] * T)] +
                                [("P%d" % (k + 1), d["used_ratio"] * T)
                                 for k, d in enumerate(g["dvfm_states"])]))
        pr = p["processor"]
        ch.append(simple("Energy Model", "", "CPU Energy", "mJ", pr["cpu_energy"]))
        ch.append(simple("Energy Model", "", "GPU Energy", "nJ", pr["gpu_energy"] * 1e6))
        # a per-core rail and an SRAM rail that must never be summed
        ch.append(simple("Energy Model", "", "EACC_CPU0", "mJ", 5))
        ch.append(simple("Energy Model", "", "GPU SRAM", "mJ", 7))
        return ch, p["elapsed_ns"] / 1e9, busy

    wa, sa, ba = window(p_a)
    wb, sb, bb = window(p_b)
    extras = [{"vm": vm(10.5), "swap": {"total": 1 << 30, "avail": 3 << 28, "used": 1 << 28},
               "thermal_level": 0,
               "temps": [{"source": "smc", "name": "Tp01", "celsius": 41.5},
                         {"source": "smc", "name": "Tp05", "celsius": 40.0},
                         {"source": "smc", "name": "Tg05", "celsius": 38.25},
                         {"source": "smc", "name": "TB0T", "celsius": 30.0}],
               # on its adapter and charged: whatcable#95's AppleSmartBattery (140 W adapter,
               # 100 %, PowerTelemetryData SystemLoad = SystemPowerIn = 7455 mW); no PSTR in this
               # dump, so the whole machine comes from that telemetry; one fan (filled in)
               "battery": {"CurrentCapacity": 100, "MaxCapacity": 100, "IsCharging": False,
                           "FullyCharged": True, "ExternalConnected": True,
                           "TimeRemaining": 65535, "AvgTimeToFull": 65535, "Amperage": 0,
                           "Voltage": 13022, "AdapterWatts": 140, "SystemLoad": 7455,
                           "SystemPowerIn": 7455},
               "fans": [{"ac": 1199.5, "mn": 1200.0, "mx": 7200.0}],
               "low_power": 0}] * 2
    return {
        "format": "agtop-ioreport-dump", "version": 1, "agtop": "0.1.0",
        "note": "M1 (MacBookPro17,1, macOS 13.3 22E252): residencies, tables and energies from "
                "the two powermetrics plists (sources: tests/data/README.md); filled in: tick counters "
                "(from the plists' idle ratios), memory, temperatures, the fan",
        "host": {"chip": "Apple M1", "model": "MacBookPro17,1", "os": "macOS 13.3",
                 "hostname": "m1", "ncpu": 8, "gpu_cores": 8, "memsize": 16 * (1 << 30),
                 "pagesize": 16384,
                 "perflevels": [{"name": "Performance", "logicalcpu": 4},
                                {"name": "Efficiency", "logicalcpu": 4}]},
        "timebase": {"numer": TB[0], "denom": TB[1]},
        "pmgr": {"voltage-states1-sram": table_hex(e_tab, 1e6),
                 "voltage-states5-sram": table_hex(p_tab, 1e6),
                 "voltage-states9": table_hex(g_tab, 1e6)},
        "groups": [{"group": "Energy Model", "subgroup": "", "subscribed": True},
                   {"group": "CPU Stats", "subgroup": "CPU Core Performance States", "subscribed": True},
                   {"group": "CPU Stats", "subgroup": "CPU Complex Performance States", "subscribed": True},
                   {"group": "GPU Stats", "subgroup": "GPU Performance States", "subscribed": True}],
        # the M1 captures hold no AMC byte counters: none are made up
        "readings": readings([wa, wb], [sa, sb], 8, [ba, bb],
                             extra0={"vm": vm(10.0), "thermal_level": 0}, extras=extras),
    }


# ---- M1 Ultra -------------------------------------------------------------------------------

M1U_P = [600, 828, 1056, 1296, 1524, 1752, 1980, 2208, 2448, 2676, 2904, 3036, 3132, 3168, 3228]
M1U_E = [600, 972, 1332, 1704, 2064]
M1U_GPU = [388, 486, 648, 777, 972, 1296]
M1U_PERIODS = [109226, 79149, 62060, 50567, 43002, 37406, 33098, 29681, 26771, 24490, 22567,
               21586, 20924, 20686, 20302]
# verbatim all-smi fixtures
P_REAL = [("IDLE", 2076468), ("V0P14", 0), ("V1P13", 0), ("V2P12", 1874), ("V3P11", 0),
          ("V4P10", 0), ("V5P9", 953), ("V6P8", 0), ("V7P7", 0), ("V8P6", 0), ("V9P5", 0),
          ("V10P4", 0), ("V11P3", 0), ("V12P2", 0), ("V13P1", 0), ("V14P0", 5363773)]
E_REAL = [("IDLE", 1999280), ("V0P4", 0), ("V1P3", 511855), ("V2P2", 576745), ("V3P1", 568251),
          ("V4P0", 3786908)]
P_IDLE = [("IDLE", 7478905)] + [(n, 0) for n, _ in P_REAL[1:]]


def m1ultra():
    ch = []
    for die in (0, 1):
        for cl, n in (("ECPU", 2), ("PCPU", 4), ("PCPU1", 4)):
            for k in range(n):
                if cl == "ECPU":
                    st = E_REAL
                elif die == 0 and cl == "PCPU" and k < 2:
                    st = P_REAL
                else:
                    st = P_IDLE
                ch.append(state_channel("CPU Stats", "CPU Core Performance States",
                                        "DIE_%d_%s_CPU%d" % (die, cl, k), st))
            cst = E_REAL if cl == "ECPU" else (P_REAL if die == 0 and cl == "PCPU" else P_IDLE)
            ch.append(state_channel("CPU Stats", "CPU Complex Performance States",
                                    "DIE_%d_%s" % (die, cl), cst))
    T = 1.0 * TICK_HZ
    ch.append(state_channel("GPU Stats", "GPU Performance States", "GPUPH",
                            [("OFF", 0.5 * T)] + [("P%d" % k, (0.5 * T if k == 6 else 0))
                                                  for k in range(1, 16)]))
    energy = {"DIE_0_CPU Energy": 2600, "DIE_1_CPU Energy": 1400, "ANE0_0": 100, "ANE0_1": 0,
              "DRAM0_0": 850, "DRAM0_1": 820, "GPU SRAM0_0": 300, "DIE_0_EACC_CPU0": 40,
              "DIE_0_PACC0_CPU": 1500, "DIE_0_PACC1_CPU": 900, "DIE_0_EACC_CPU": 200,
              "DIE_1_PACC0_CPU": 700, "DIE_1_EACC_CPU": 200, "DIE_1_PACC1_CPU": 500,
              "DIE_0_PACC0_CPM": 55}
    names = set()
    with open(os.path.join(DATA, "ioreport_energy_model_channels_m1ultra.tsv")) as f:
        for line in f:
            if "\t" in line and not line.startswith("#"):
                names.add(line.split("\t")[0])
    for n, v in energy.items():
        assert n in names, n  # every name is a real M1 Ultra Energy Model channel
        ch.append(simple("Energy Model", "", n, "mJ", v))
    ch.append(simple("Energy Model", "", "GPU Energy", "nJ", 9.5e9))
    busy = [0.73] * 2 + [0.72] * 2 + [0.01] * 6 + [0.73] * 2 + [0.01] * 8
    return {
        "format": "agtop-ioreport-dump", "version": 1, "agtop": "0.1.0",
        "note": "M1 Ultra (Mac13,2): pmgr tables, the period table and the DIE_0 P/E "
                "residencies verbatim from all-smi's fixtures, channel names from the real "
                "Energy Model inventory; filled in: other cores (copies or parked), energies, "
                "GPU residency, ticks",
        "host": {"chip": "Apple M1 Ultra", "model": "Mac13,2", "os": "macOS 26.6",
                 "hostname": "studio", "ncpu": 20, "gpu_cores": 64, "memsize": 128 * (1 << 30),
                 "pagesize": 16384,
                 "perflevels": [{"name": "Performance", "logicalcpu": 16},
                                {"name": "Efficiency", "logicalcpu": 4}]},
        "timebase": {"numer": TB[0], "denom": TB[1]},
        "pmgr": {"voltage-states1-sram": table_hex(M1U_E, 1e6),
                 "voltage-states5-sram": table_hex(M1U_P, 1e6),
                 "voltage-states5": table_hex(M1U_PERIODS),
                 "voltage-states13-sram": table_hex(M1U_P, 1e6),
                 "voltage-states9-sram": table_hex([0] + M1U_GPU, 1e6)},
        "groups": [{"group": "Energy Model", "subgroup": "", "subscribed": True},
                   {"group": "CPU Stats", "subgroup": "CPU Core Performance States", "subscribed": True},
                   {"group": "CPU Stats", "subgroup": "CPU Complex Performance States", "subscribed": True},
                   {"group": "GPU Stats", "subgroup": "GPU Performance States", "subscribed": True}],
        "readings": readings([ch], [1.0], 20, [busy],
                             extra0={"vm": vm(40.0), "thermal_level": 0},
                             extras=[{"vm": vm(41.25), "thermal_level": 1,
                                      "swap": {"total": 0, "avail": 0, "used": 0}}]),
    }


# ---- M3 Pro ---------------------------------------------------------------------------------

M3_E = [744, 1044, 1476, 2004, 2268, 2556, 2748]          # 744 and 2748 occupied (socpwrbud)
M3_P = [696, 1092, 1356, 1596, 1884, 2172, 2424, 2616, 2808, 2988, 3144, 3288, 3420, 3516,
        3576, 3624, 3708, 3780, 3864, 3960, 4056]           # 696 2424 2988 3420 4056 occupied
M3_GPU = [0, 338, 618, 796, 924]                            # 338 796 924 occupied
# socpwrbud -a (M3 Pro): (active %, {MHz: % of active})
M3_E_CORES = [(19.12, {744: 31.84, 2748: 68.16}), (9.73, {744: 28.79, 2748: 71.21}),
              (8.90, {744: 46.89, 2748: 53.11}), (2.83, {744: 41.30, 2748: 58.70}),
              (2.01, {744: 35.43, 2748: 64.57}), (1.13, {744: 34.27, 2748: 65.73})]
M3_P_CORES = [(4.61, {696: 41.27, 2424: 2.99, 2988: 53.91, 3420: 1.81, 4056: 0.01}),
              (7.62, {696: 44.88, 2424: 1.23, 2988: 49.61, 3420: 3.78, 4056: 0.50}),
              (0.20, {696: 5.59, 2424: 1.67, 2988: 30.18, 3420: 62.37, 4056: 0.19}),
              (0.35, {2988: 4.69, 4056: 95.31}),
              (0.00, {}),
              (0.04, {2988: 44.42, 3420: 55.58})]
M3_E_CLUSTER = (28.44, {744: 33.40, 2748: 66.60})
M3_P_CLUSTER = (12.09, {696: 42.27, 2424: 1.65, 2988: 49.49, 3420: 3.64, 4056: 2.94})
M3_GPU_DIST = (2.46, {338: 46.49, 796: 33.53, 924: 19.98})


def dist_states(table, active_pct, dist, T, down=True):
    act = active_pct / 100 * T
    st = [("DOWN", 0)] if down else []
    st.append(("IDLE", T - act))
    n = len(table)
    for k, f in enumerate(table):
        st.append(("V%dP%d" % (k, n - 1 - k), act * dist.get(f, 0) / 100))
    return st


def m3pro():
    T = 2.0 * TICK_HZ
    ch = []
    for i, (a, d) in enumerate(M3_E_CORES):
        ch.append(state_channel("CPU Stats", "CPU Core Performance States", "ECPU%d" % i,
                                dist_states(M3_E, a, d, T)))
    for i, (a, d) in enumerate(M3_P_CORES):
        ch.append(state_channel("CPU Stats", "CPU Core Performance States", "PCPU%d" % i,
                                dist_states(M3_P, a, d, T)))
    ch.append(state_channel("CPU Stats", "CPU Complex Performance States", "ECPU",
                            dist_states(M3_E, *M3_E_CLUSTER, T)))
    ch.append(state_channel("CPU Stats", "CPU Complex Performance States", "PCPU",
                            dist_states(M3_P, *M3_P_CLUSTER, T)))
    ga, gd = M3_GPU_DIST
    ch.append(state_channel("GPU Stats", "GPU Performance States", "GPUPH",
                            [("OFF", T * (1 - ga / 100))] +
                            [("P%d" % k, T * ga / 100 * gd.get(M3_GPU[k], 0) / 100)
                             for k in range(1, len(M3_GPU))] + [("P5", 0), ("P6", 0)]))
    for n, u, v in (("CPU Energy", "mJ", 3000), ("GPU Energy", "nJ", 1.2e9), ("ANE0", "mJ", 0),
                    ("DRAM0", "mJ", 1100), ("EACC_CPU", "mJ", 1800), ("PACC0_CPU", "mJ", 1200)):
        ch.append(simple("Energy Model", "", n, u, v))
    # AMC byte counters (M3 Pro on macOS 14: subscribable)
    for n, v in (("ECPU DCS RD", 3.0e9), ("ECPU DCS WR", 1.0e9), ("PCPU0 DCS RD", 5.0e9),
                 ("PCPU0 DCS WR", 2.0e9), ("GFX DCS RD", 8.0e9), ("GFX DCS WR", 4.0e9),
                 ("PRORES DCS RD", 1.0e9), ("DCS RD", 18.0e9), ("DCS WR", 7.0e9),
                 ("DCS F1 RD", 9.9e9)):
        ch.append(simple("AMC Stats", "Perf Counters", n, "B", v))
    busy = [a / 100 for a, _ in M3_E_CORES] + [a / 100 for a, _ in M3_P_CORES]
    return {
        "format": "agtop-ioreport-dump", "version": 1, "agtop": "0.1.0",
        "note": "M3 Pro (T6030): per-core and per-cluster DVFS distributions and active "
                "residencies from socpwrbud's output (sources: tests/data/README.md); filled in: table "
                "entries no residency occupies, energies, AMC byte counts, ticks",
        "host": {"chip": "Apple M3 Pro", "model": "Mac15,6", "os": "macOS 14.4",
                 "hostname": "m3pro", "ncpu": 12, "gpu_cores": 18, "memsize": 36 * (1 << 30),
                 "pagesize": 16384,
                 "perflevels": [{"name": "Performance", "logicalcpu": 6},
                                {"name": "Efficiency", "logicalcpu": 6}]},
        "timebase": {"numer": TB[0], "denom": TB[1]},
        "pmgr": {"voltage-states1-sram": table_hex(M3_E, 1e6),
                 "voltage-states5-sram": table_hex(M3_P, 1e6),
                 "voltage-states9": table_hex(M3_GPU, 1e6)},
        "groups": [{"group": "Energy Model", "subgroup": "", "subscribed": True},
                   {"group": "CPU Stats", "subgroup": "CPU Core Performance States", "subscribed": True},
                   {"group": "CPU Stats", "subgroup": "CPU Complex Performance States", "subscribed": True},
                   {"group": "GPU Stats", "subgroup": "GPU Performance States", "subscribed": True},
                   {"group": "AMC Stats", "subgroup": "Perf Counters", "subscribed": True}],
        "readings": readings([ch], [2.0], 12, [busy],
                             extra0={"vm": vm(20.0), "thermal_level": 0},
                             extras=[{"vm": vm(20.0), "thermal_level": 2,
                                      "temps": [{"source": "hid", "name": "pACC MTR Temp Sensor0", "celsius": 52.5},
                                                {"source": "hid", "name": "eACC MTR Temp Sensor1", "celsius": 47.0},
                                                {"source": "hid", "name": "GPU MTR Temp Sensor2", "celsius": 44.0},
                                                {"source": "hid", "name": "PMU tcal", "celsius": 51.0}]}]),
    }


# ---- M4 Max ---------------------------------------------------------------------------------

M4_GPU = [0, 338, 618, 796, 924, 952, 1056, 1062, 1182, 1182, 1312, 1242, 1380, 1326, 1470, 1578]
M4_E = [1020, 1404, 1788, 2112, 2352, 2484, 2592]            # kHz; first four real (M4 Pro)
M4_P = [1260, 1512, 1752, 1992, 2232, 2472, 2700, 2916, 3120, 3324, 3504, 3672, 3828, 3972,
        4104, 4224, 4332, 4416, 4464, 4512]                 # kHz; top 4512 (M4 family max)


def bw_hist(values_gbs, top=32, step=1):
    """A PMP DCS BW histogram: residency spread over the buckets named after their GB/s."""
    names = ["%4dGB/s" % (step * (k + 1)) for k in range(top // step)]
    res = [0] * len(names)
    for v, w in values_gbs:
        res[min(len(names), max(1, int(v // step))) - 1] += w
    return list(zip(names, res))


def m4max():
    windows = []
    # two phases of the lab notebook: baseline (P1 12.63 %) and step_100 (P15 94.58 %)
    for gpu_state, gpu_share in (("P1", 0.1263), ("P15", 0.9458)):
        T = 1.0 * TICK_HZ
        ch = []
        for cl, n, tab, share in (("ECPU", 4, M4_E, 0.30), ("PCPU", 6, M4_P, 0.50),
                                  ("PCPU1", 6, M4_P, 0.10)):
            cdig = "1" if cl == "PCPU1" else "0"
            top = len(tab) - 1
            for k in range(n):
                st = [("IDLE", T * (1 - share))] + [
                    ("V%dP%d" % (i, top - i), T * share if i == top else 0) for i in range(len(tab))]
                ch.append(state_channel("CPU Stats", "CPU Core Performance States",
                                        "%s%s%d0" % (cl[:4], cdig, k), st))
            ch.append(state_channel("CPU Stats", "CPU Complex Performance States", cl,
                                    [("IDLE", T * (1 - share))] +
                                    [("V%dP%d" % (i, top - i), T * share if i == top else 0)
                                     for i in range(len(tab))]))
        ch.append(state_channel("GPU Stats", "GPU Performance States", "GPUPH",
                                [("OFF", T * (1 - gpu_share))] +
                                [("P%d" % k, T * gpu_share if "P%d" % k == gpu_state else 0)
                                 for k in range(1, 16)]))
        gpu_w = 2.0 if gpu_state == "P1" else 48.0
        for n, u, v in (("CPU Energy", "mJ", 9000), ("GPU Energy", "nJ", gpu_w * 1e9),
                        ("ANE0", "mJ", 0), ("DRAM0", "mJ", 2000 if gpu_state == "P1" else 11000),
                        ("EACC_CPU", "mJ", 800), ("PACC0_CPU", "mJ", 6500), ("PACC1_CPU", "mJ", 1700),
                        ("GPU0", "mJ", 40000), ("GPU SRAM0", "mJ", 900)):
            ch.append(simple("Energy Model", "", n, u, v))
        # PMP / DCS BW (AMC Stats cannot be subscribed on this machine)
        for req, vals in (("EACC0", [(2, 1)]), ("PACC0", [(10, 1)]), ("PACC1", [(4, 1)]),
                          ("AGX", [(5, 1)] if gpu_state == "P1" else [(31, 3), (32, 1)])):
            ch.append(state_channel("PMP", "DCS BW", req + " RD+WR",
                                    bw_hist([(v, w * 1000) for v, w in vals])))
        ch.append(state_channel("PMP", "DCS BW", "AMCC RD+WR",
                                bw_hist([(64, 1000)], top=1024, step=32)))
        windows.append(ch)
    # as a normal user (uid 501) reads them: its own processes whole; root's and other users'
    # (kernel_task, launchd, WindowServer) by their identity only (PROC_PIDT_SHORTBSDINFO), no
    # task, no start time, no command line; kernel_task has no executable path
    # and their state as pbi_status/pbsi_status give it (2 SRUN, 3 SSLEEP)
    procs0 = [{"pid": 0, "ppid": 0, "uid": 0, "path_denied": True, "name": "kernel_task",
               "start": 0, "status": 2},
              {"pid": 1, "ppid": 0, "uid": 0, "name": "launchd", "start": 0, "status": 3},
              {"pid": 155, "ppid": 1, "uid": 88, "name": "WindowServer", "start": 0,
               "status": 3},
              {"pid": 400, "ppid": 1, "uid": 501, "name": "zsh", "cmdline": "-zsh",
               "start": 4000, "status": 3, "cpu_time": 10 ** 9, "rss": 6 << 20, "threads": 1},
              {"pid": 501, "ppid": 1, "uid": 501, "name": "python3", "cmdline": "python3 train.py",
               "start": 5000, "status": 2, "cpu_time": 10 ** 10, "rss": 8 << 30, "threads": 24}]

    # per process (filled in): GPU time of the accelerator's user clients, readable for every
    # user's process (WindowServer 5 %, python3 85 % of the GPU); CPU energy and neural
    # engine memory from proc_pid_rusage, for this user's processes only (python3 7 W, zsh
    # 10 mW); launchd holds a client that never submitted
    gpu = {1: (0, 0), 155: (3 * 10 ** 9, 5 * 10 ** 7), 501: (2 * 10 ** 9, 85 * 10 ** 7)}
    energy = {400: (5 * 10 ** 9, 10 ** 7, 0), 501: (123 * 10 ** 9, 7 * 10 ** 9, 1 << 28)}

    def procs(win):
        out = []
        for p in sorted(procs0, key=lambda p: p["pid"]):
            q = dict(p)
            # python3 runs 3.5 cores: 3.5 s of CPU per second = 3.5e9 ns = 8.4e7 ticks
            if "cpu_time" in p:
                q["cpu_time"] = p["cpu_time"] + (int(3.5e9 * TB[1] / TB[0]) * win
                                                 if p["pid"] == 501 else 0)
            if p["pid"] in gpu:
                q["gpu_ns"] = gpu[p["pid"]][0] + gpu[p["pid"]][1] * win
            if p["pid"] in energy:
                q["energy_nj"] = energy[p["pid"]][0] + energy[p["pid"]][1] * win
                q["neural_bytes"] = energy[p["pid"]][2]
            out.append(q)
        return out

    # on battery (raycast/extensions#15996's MacBook: 80 %, 221 min to empty, three cells at
    # 3824+3888+3874 mV); the discharge current filled in so that the battery gives what the
    # SMC's PSTR says the machine draws (on battery PPBR ~ PSTR, stats#1703); two fans (filled
    # in); low power mode switched on before the last reading
    def battery(amps_ma, minutes):
        return {"CurrentCapacity": 80, "MaxCapacity": 100, "IsCharging": False,
                "FullyCharged": False, "ExternalConnected": False, "TimeRemaining": minutes,
                "AvgTimeToFull": 65535, "Amperage": amps_ma, "Voltage": 11586}

    def fans(a, b):
        return [{"ac": a, "mn": 1200.0, "mx": 5779.0}, {"ac": b, "mn": 1200.0, "mx": 6150.0}]

    power0 = {"gpu_clients": True, "battery": battery(-1889, 221), "fans": fans(1840.0, 1950.0),
              "input_w": 0.0, "low_power": 0}
    power1 = dict(power0, battery=battery(-5308, 65535), fans=fans(2410.5, 2622.0))
    power2 = dict(power0, battery=battery(-7768, 149), fans=fans(3600.0, 3905.5), low_power=1)

    busy = [[0.3] * 4 + [0.5] * 6 + [0.1] * 6] * 2
    return {
        "format": "agtop-ioreport-dump", "version": 1, "agtop": "0.1.0",
        "note": "M4 Max (Mac16,6): the GPU table (non-monotonic) and GPUPH phases from the lab "
                "notebook (sources: tests/data/README.md); AMC Stats unsubscribable as SiliconScope measured "
                "on macOS 26.5.2; filled in: CPU tables (kHz; the E table's first four entries "
                "are M4 Pro's), CPU residencies, energies, histograms, processes and their GPU "
                "time and energy, battery current (from PSTR), fans, low power mode",
        "host": {"chip": "Apple M4 Max", "model": "Mac16,6", "os": "macOS 26.4.1",
                 "hostname": "m4max", "ncpu": 16, "gpu_cores": 40, "memsize": 36 * (1 << 30),
                 "pagesize": 16384,
                 "perflevels": [{"name": "Performance", "logicalcpu": 12},
                                {"name": "Efficiency", "logicalcpu": 4}]},
        "timebase": {"numer": TB[0], "denom": TB[1]},
        "pmgr": {"voltage-states1-sram": table_hex(M4_E, 1e3),
                 "voltage-states5-sram": table_hex(M4_P, 1e3),
                 "voltage-states9-sram": table_hex(M4_GPU, 1e6)},
        "groups": [{"group": "Energy Model", "subgroup": "", "subscribed": True},
                   {"group": "CPU Stats", "subgroup": "CPU Core Performance States", "subscribed": True},
                   {"group": "CPU Stats", "subgroup": "CPU Complex Performance States", "subscribed": True},
                   {"group": "GPU Stats", "subgroup": "GPU Performance States", "subscribed": True},
                   {"group": "AMC Stats", "subgroup": "Perf Counters", "subscribed": False,
                    "error": "IOReportCreateSubscription returned NULL"},
                   {"group": "PMP", "subgroup": "DCS BW", "subscribed": True}],
        "readings": readings(windows, [1.0, 1.0], 16, busy,
                             extra0=dict(power0, vm=vm(18.0), thermal_level=0,
                                         processes=procs(0)),
                             extras=[dict(power1, **{"vm": vm(18.5), "thermal_level": 0, "processes": procs(1),
                                      "system_w": 61.5,
                                      "temps": [{"source": "smc", "name": "Tp01", "celsius": 40.0},
                                                {"source": "smc", "name": "Tp05", "celsius": 71.25},
                                                {"source": "smc", "name": "Te05", "celsius": 60.5},
                                                {"source": "smc", "name": "Tg0G", "celsius": 66.0},
                                                {"source": "smc", "name": "Tp1i", "celsius": -4.0}]}),
                                     dict(power2, **{"vm": vm(19.0), "thermal_level": 1, "processes": procs(2),
                                      "system_w": 90.0})]),
    }


# ---- M5 Max ---------------------------------------------------------------------------------

M5_S = [1308, 1620, 1980, 2292, 2580, 2880, 3180, 3432, 3648, 3828, 3984, 4104, 4188, 4236,
        4284, 4308, 4332, 4428, 4512, 4608]                  # kHz (voltage-states5-sram)
M5_M = [1344, 1644, 1992, 2304, 2652, 2964, 3240, 3504, 3696, 3876, 4043, 4176, 4284, 4308,
        4380]                                               # kHz (22-sram, 23-sram)
M5_GPU = [0, 338, 486, 636, 796, 888, 988, 1084, 1182, 1278, 1374, 1470, 1578, 1620]
# verbatim hex from macmon#47 (ioreg pmgr): the period table and a GPU-domain table
M5_V5_PLAIN = ("b7c3000085020000069e0000b20200004a810000c6020000b16f0000df02000039630000070300"
               "00e3580000250300008050000034030000974a0000570300002c46000075030000e04200009303"
               "000041400000b6030000603e0000ca030000203d0000fc0300006f3c0000fc030000c13b0000fc"
               "0300006c3b0000fc030000183b0000fc030000d0390000fc030000bc380000420400008e370000"
               "42040000")
M5_V14 = ("000000007d000000807825146202000080c5f71c850200000097e825ad02000000ff712fe4020000"
          "00ceed34e902000000afe33a1103000000879c402a03000080e373463e03000080bb2c4c6103000080"
          "93e55169050000806b9e57b1030000805e0e5efc030000003d8f601f040000")
M5_ACC = "1600000000000000" "1701000000000000" "0502000000000000"  # macmon test, verbatim


def m5max():
    T = 1.0 * TICK_HZ
    ch = []
    for cl, n, tab in (("PCPU", 6, M5_S), ("MCPU0", 6, M5_M), ("MCPU1", 6, M5_M)):
        top = len(tab) - 1
        full = [("IDLE", 0)] + [("V%dP%d" % (i, top - i), T if i == top else 0) for i in range(len(tab))]
        for k in range(n):
            name = ("PCPU%d" % k) if cl == "PCPU" else ("%s%d" % (cl, k))
            ch.append(state_channel("CPU Stats", "CPU Core Performance States", name, full))
        ch.append(state_channel("CPU Stats", "CPU Complex Performance States", cl, full))
    for cl in ("PCPM", "MCPM0"):  # fabric channels: never clusters
        ch.append(state_channel("CPU Stats", "CPU Complex Performance States", cl,
                                [("IDLE", 0), ("V0P1", T)]))
    ch.append(state_channel("GPU Stats", "GPU Performance States", "GPUPH",
                            [("OFF", 0.63 * T)] + [("P%d" % k, 0.37 * T if k == 1 else 0)
                                                   for k in range(1, 16)]))
    names = set()
    with open(os.path.join(DATA, "ioreport_energy_model_channels_m5max.tsv")) as f:
        for line in f:
            if "\t" in line and not line.startswith("#"):
                names.add(line.split("\t")[0])
    energy = {"CPU Energy": 21100, "MCPU0": 4850, "MCPU1": 4850, "PCPU": 11400, "ANE0": 0,
              "DRAM0": 1600, "PACC_0": 1900, "MCPU0_0": 800, "PCPM": 120}
    for n, v in energy.items():
        assert n in names, n
        ch.append(simple("Energy Model", "", n, "mJ", v))
    assert "GPU Energy" in names
    ch.append(simple("Energy Model", "", "GPU Energy", "nJ", 0.7e9))
    for req, gbs in (("MACC0", 6), ("MACC1", 5), ("PACC0", 4), ("AGX", 1)):
        ch.append(state_channel("PMP0", "DCS BW", req + " RD+WR", bw_hist([(gbs, 1000)])))
    ch.append(state_channel("PMP0", "DCS BW", "AMCC RD+WR", bw_hist([(32, 1000)], top=1024, step=32)))
    return {
        "format": "agtop-ioreport-dump", "version": 1, "agtop": "0.1.0",
        "note": "M5 Max (Mac17,6, macOS 26.5.2): acc-clusters bytes, S/M/GPU tables, the "
                "plain voltage-states5 and voltage-states14 hex verbatim (macmon#47, "
                "SiliconScope#30/PR#58), real Energy Model names, levels and clusters from the "
                "device tree; residencies, rails and bandwidth from sscope-cli probe #2",
        "host": {"chip": "Apple M5 Max", "model": "Mac17,6", "os": "macOS 26.5.2",
                 "hostname": "m5max", "ncpu": 18, "gpu_cores": 40, "memsize": 128 * (1 << 30),
                 "pagesize": 16384,
                 "perflevels": [{"name": "Super", "logicalcpu": 6},
                                {"name": "Performance", "logicalcpu": 12}]},
        "timebase": {"numer": TB[0], "denom": TB[1]},
        "pmgr": {"acc-clusters": M5_ACC, "voltage-states5-sram": table_hex(M5_S, 1e3),
                 "voltage-states22-sram": table_hex(M5_M, 1e3),
                 "voltage-states23-sram": table_hex(M5_M, 1e3),
                 "voltage-states9-sram": table_hex(M5_GPU, 1e6),
                 "voltage-states5": M5_V5_PLAIN, "voltage-states14": M5_V14},
        "groups": [{"group": "Energy Model", "subgroup": "", "subscribed": True},
                   {"group": "CPU Stats", "subgroup": "CPU Core Performance States", "subscribed": True},
                   {"group": "CPU Stats", "subgroup": "CPU Complex Performance States", "subscribed": True},
                   {"group": "GPU Stats", "subgroup": "GPU Performance States", "subscribed": True},
                   {"group": "AMC Stats", "subgroup": "Perf Counters", "subscribed": False,
                    "error": "IOReportCreateSubscription returned NULL"},
                   {"group": "PMP0", "subgroup": "DCS BW", "subscribed": True}],
        "readings": readings([ch], [1.0], 18, [[1.0] * 18],
                             extra0={"vm": vm(72.0), "thermal_level": 0},
                             extras=[{"vm": vm(72.3), "thermal_level": 0,
                                      "temps": [{"source": "smc", "name": "Tp00", "celsius": 79.0},
                                                {"source": "smc", "name": "Tp0O", "celsius": 82.0},
                                                {"source": "smc", "name": "Tf06", "celsius": 90.8},
                                                {"source": "smc", "name": "Tg0U", "celsius": 55.0}]}]),
    }


def compact(dump):
    """The layout agtop --dump-ioreport writes: one member per line, one channel per line."""
    j = json.dumps
    top = []
    for k, v in dump.items():
        if k == "pmgr":
            top.append(' "pmgr": {' + ",".join("\n   %s: %s" % (j(a), j(b)) for a, b in v.items())
                       + "}")
        elif k == "groups":
            top.append(' "groups": [' + ",".join("\n   " + j(g) for g in v) + "]")
        elif k == "readings":
            rs = []
            for r in v:
                parts = []
                for rk, rv in r.items():
                    if rk == "channels":
                        parts.append('   "channels": [\n' + ",\n".join("    " + j(c) for c in rv)
                                     + "\n   ]")
                    elif rk == "processes":
                        parts.append('   "processes": [' + ",".join("\n    " + j(p) for p in rv)
                                     + "]")
                    else:
                        parts.append("   %s: %s" % (j(rk), j(rv)))
                rs.append("  {\n" + ",\n".join(parts) + "\n  }")
            top.append(' "readings": [\n' + ",\n".join(rs) + "\n ]")
        else:
            top.append(" %s: %s" % (j(k), j(v)))
    return "{\n" + ",\n".join(top) + "\n}\n"


def write(name, dump):
    text = compact(dump)
    assert json.loads(text) == dump
    with open(os.path.join(HERE, name), "w") as f:
        f.write(text)


if __name__ == "__main__":
    write("m1.json", m1())
    write("m1ultra.json", m1ultra())
    write("m3pro.json", m3pro())
    write("m4max.json", m4max())
    write("m5max.json", m5max())

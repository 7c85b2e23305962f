/* soc.h - chip reference values for scaling charts and alerts (the original's SoC profiles) */
#ifndef AGTOP_SOC_H
#define AGTOP_SOC_H

struct soc_profile {
	char name[96];
	double cpu_ref_w;  /* CPU power chart reference */
	double gpu_ref_w;  /* GPU power chart reference */
	double cpu_bw_gbs; /* CPU memory bandwidth reference, GB/s */
	double gpu_bw_gbs; /* GPU memory bandwidth reference, GB/s */
	int known;         /* 1 exact chip, 2 tier fallback ("Apple M5 Pro"), 0 generic */
};

/* The original's resolution: whitespace collapsed; an exact name from the table; else an
 * "Apple M<n>" name falls back to its tier (Ultra, Max, Pro, base) under its own name; else the
 * generic profile under the given name. */
void soc_lookup(const char *chip, struct soc_profile *out);

/* The original's derived constants. */
#define SOC_ANE_MAX_W 8.0
double soc_package_ref_w(const struct soc_profile *p); /* max(cpu + gpu + 8, 1) */

#endif

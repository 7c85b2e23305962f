#include "alerts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *alerts_throttle_word(enum throttle_cause c)
{
	static const char *const words[THROTTLE_CAUSE_COUNT] = { "thermal",        "power limit",
		                                                 "hardware",       "setting",
		                                                 "low power mode", "speed limit" };
	return (unsigned)c < THROTTLE_CAUSE_COUNT ? words[c] : "?";
}

void alerts_throttle_words(unsigned causes, const char *sep, char *out, size_t size)
{
	size_t n = 0;

	if (size)
		out[0] = '\0';
	for (unsigned c = 0; c < THROTTLE_CAUSE_COUNT && n < size; c++)
		if (causes & (1u << c))
			n += (size_t)snprintf(out + n, size - n, "%s%s", n ? sep : "",
			                      alerts_throttle_word((enum throttle_cause)c));
}

void alerts_init(struct alerts *a)
{
	memset(a, 0, sizeof *a);
	snprintf(a->label, sizeof a->label, "none");
}

/* _update_sustained_counter */
static int sustained(int counter, bool active)
{
	return active ? counter + 1 : 0;
}

void alerts_update(struct alerts *a, const struct alert_cfg *cfg, const struct alert_in *in)
{
	int sustain = cfg->sustain > 0 ? cfg->sustain : 1;
	unsigned keep = (unsigned)sustain + 1;
	size_t n = 0;

	if (keep > ALERT_SWAP_HISTORY_MAX)
		keep = ALERT_SWAP_HISTORY_MAX;

	/* THERMAL: at once, whenever the pressure is above nominal */
	a->thermal = in->thermal != THERMAL_NOMINAL && in->thermal != THERMAL_UNKNOWN;

	/* BW>N%: the hottest gauge at or above the threshold for `sustain` ticks */
	a->bw_counter =
	    sustained(a->bw_counter, in->bw_available && in->bw_max_percent >= cfg->bw_sat_percent);
	a->bw = a->bw_counter >= sustain;

	/* SWAP+xG: the rise over the last sustain+1 readings (deque(maxlen=sustain+1)) */
	if (a->swap_n == keep) {
		memmove(a->swap_hist, a->swap_hist + 1, (keep - 1) * sizeof a->swap_hist[0]);
		a->swap_n--;
	}
	a->swap_hist[a->swap_n++] =
	    isnan(in->swap_used_gb) || in->swap_used_gb < 0 ? 0.0 : in->swap_used_gb;
	a->swap_rise = a->swap_n > 1 ? a->swap_hist[a->swap_n - 1] - a->swap_hist[0] : 0.0;
	if (a->swap_rise < 0)
		a->swap_rise = 0;
	a->swap = !isnan(in->swap_total_gb) && in->swap_total_gb >= 0.1 && a->swap_n >= keep &&
	          a->swap_rise >= cfg->swap_rise_gb;

	/* PKG>N%: package power against the chip's reference, sustained */
	a->pkg_counter =
	    sustained(a->pkg_counter, in->package_percent >= 0 &&
	                                  in->package_percent >= cfg->package_power_percent);
	a->pkg = a->pkg_counter >= sustain;

	/* THROTTLED(...): something slows the machine down for `sustain` ticks; thermal pressure
	 * is the THERMAL alert's already, so it is not said twice */
	{
		unsigned causes = in->throttle & ~(a->thermal ? 1u << THROTTLE_THERMAL : 0u);
		a->throttle_counter = sustained(a->throttle_counter, causes != 0);
		a->throttle = a->throttle_counter >= sustain;
		a->throttle_causes = a->throttle ? causes : 0;
	}

	a->label[0] = '\0';
	if (a->thermal)
		n += (size_t)snprintf(a->label + n, sizeof a->label - n, "THERMAL");
	if (a->bw)
		n += (size_t)snprintf(a->label + n, sizeof a->label - n, "%sBW>%d%%", n ? ", " : "",
		                      cfg->bw_sat_percent);
	if (a->swap)
		n += (size_t)snprintf(a->label + n, sizeof a->label - n, "%sSWAP+%.1fG",
		                      n ? ", " : "", a->swap_rise);
	if (a->pkg)
		n += (size_t)snprintf(a->label + n, sizeof a->label - n, "%sPKG>%d%%",
		                      n ? ", " : "", cfg->package_power_percent);
	if (a->throttle) {
		char words[96];
		alerts_throttle_words(a->throttle_causes, "+", words, sizeof words);
		n += (size_t)snprintf(a->label + n, sizeof a->label - n, "%sTHROTTLED(%s)",
		                      n ? ", " : "", words);
	}
	if (!n)
		snprintf(a->label, sizeof a->label, "none");
}

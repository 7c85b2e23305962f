/* clock.h - time in seconds */
#ifndef AGTOP_CLOCK_H
#define AGTOP_CLOCK_H

/* Monotonic seconds (intervals); wall-clock seconds since the epoch (timestamps). */
double clock_mono(void);
double clock_real(void);

#endif

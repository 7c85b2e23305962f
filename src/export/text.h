/* text.h - a sample as readable text (agtop --decode-dump without --json) */
#ifndef AGTOP_TEXT_H
#define AGTOP_TEXT_H

#include "../sample.h"
#include "../util/strbuf.h"

void text_write_sample(struct strbuf *b, const struct sample *s);

#endif

/* libtlsrpt — SMTP TLS Reporting (RFC 8460). The umbrella header: include this one.
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_TLSRPT_H
#define TLSRPT_TLSRPT_H

#include <tlsrpt/version.h>
#include <tlsrpt/common.h>
#include <tlsrpt/uri.h>
#include <tlsrpt/record.h>
#include <tlsrpt/dns.h>
#include <tlsrpt/report.h>
#include <tlsrpt/sts.h>
#include <tlsrpt/tls.h>
#include <tlsrpt/event.h>
#include <tlsrpt/aggregate.h>

#endif

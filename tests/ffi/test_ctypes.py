#!/usr/bin/env python3
"""FFI test: Python's ctypes drives libtlsrpt.so.1 through nothing but its public C API, as a binding would.

Every function used is declared with its argtypes and restype from the public headers (doc/bindings.md explains
the rules this follows: opaque handles as c_void_p, borrowed strings as c_char_p results, new strings as c_void_p
results released with tlsrpt_free, length-delimited input as a pointer plus a size_t).

usage: test_ctypes.py PATH/TO/libtlsrpt.so.1   (meson passes the built library)
"""
import ctypes
import sys
import unittest
from ctypes import (CFUNCTYPE, POINTER, byref, c_char_p, c_int, c_size_t, c_uint, c_uint16, c_uint32, c_void_p)

LIB_PATH = sys.argv.pop(1) if len(sys.argv) > 1 else "libtlsrpt.so.1"
lib = ctypes.CDLL(LIB_PATH)

# ---- constants, copied from include/tlsrpt/*.h (they are ABI: never renumbered) ------------------------------------
OK, ENOMEM, EINVAL, ESYNTAX, ESEMANTIC, ELIMIT, ENOTFOUND, EMULTIPLE, ETEMPFAIL, EUNSUPPORTED = 0, -1, -2, -3, -4, \
    -5, -6, -7, -8, -9
SEVERITY_INFO, SEVERITY_WARNING, SEVERITY_ERROR = 0, 1, 2
NO_OFFSET = ctypes.c_size_t(-1).value
URI_OTHER, URI_MAILTO, URI_HTTPS = 0, 1, 2
AUTH_NOT_REQUIRED, AUTH_AUTHORIZED, AUTH_NOT_AUTHORIZED = 0, 1, 2


def declare(name, restype, *argtypes):
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


H = c_void_p               # every opaque handle (tlsrpt_record *, tlsrpt_diag *, ...)
PH = POINTER(c_void_p)     # an out-parameter receiving a handle
PSTR = POINTER(c_void_p)   # "char **out": a new string, kept as an address so that tlsrpt_free can release it

# common.h
status_string = declare("tlsrpt_status_string", c_char_p, c_int)
tlsrpt_free = declare("tlsrpt_free", None, c_void_p)
version_number = declare("tlsrpt_version_number", c_int)
version_string = declare("tlsrpt_version_string", c_char_p)
diag_new = declare("tlsrpt_diag_new", c_int, PH)
diag_free = declare("tlsrpt_diag_free", None, H)
diag_clear = declare("tlsrpt_diag_clear", None, H)
diag_count = declare("tlsrpt_diag_count", c_size_t, H)
diag_severity = declare("tlsrpt_diag_severity", c_int, H, c_size_t)
diag_id = declare("tlsrpt_diag_id", c_char_p, H, c_size_t)
diag_message = declare("tlsrpt_diag_message", c_char_p, H, c_size_t)
diag_offset = declare("tlsrpt_diag_offset", c_size_t, H, c_size_t)
diag_path = declare("tlsrpt_diag_path", c_char_p, H, c_size_t)
# uri.h
uri_parse = declare("tlsrpt_uri_parse", c_int, PH, c_char_p, c_size_t, H)
uri_scheme = declare("tlsrpt_uri_scheme", c_int, H)
uri_string = declare("tlsrpt_uri_string", c_char_p, H)
uri_mailbox = declare("tlsrpt_uri_mailbox", c_char_p, H)
uri_host = declare("tlsrpt_uri_host", c_char_p, H)
uri_free = declare("tlsrpt_uri_free", None, H)
# record.h
record_parse = declare("tlsrpt_record_parse", c_int, PH, c_char_p, c_size_t, H)
record_is_candidate = declare("tlsrpt_record_is_candidate", c_int, c_char_p, c_size_t)
record_new = declare("tlsrpt_record_new", c_int, PH)
record_add_rua = declare("tlsrpt_record_add_rua", c_int, H, c_char_p, H)
record_add_extension = declare("tlsrpt_record_add_extension", c_int, H, c_char_p, c_char_p)
record_rua_count = declare("tlsrpt_record_rua_count", c_size_t, H)
record_rua = declare("tlsrpt_record_rua", H, H, c_size_t)
record_extension_count = declare("tlsrpt_record_extension_count", c_size_t, H)
record_extension_name = declare("tlsrpt_record_extension_name", c_char_p, H, c_size_t)
record_extension_value = declare("tlsrpt_record_extension_value", c_char_p, H, c_size_t)
record_serialize = declare("tlsrpt_record_serialize", c_int, H, PSTR, POINTER(c_size_t))
record_to_zone = declare("tlsrpt_record_to_zone", c_int, H, c_char_p, c_uint32, PSTR, POINTER(c_size_t))
record_lint = declare("tlsrpt_record_lint", c_int, H, c_char_p, H)
record_free = declare("tlsrpt_record_free", None, H)
# report.h
c_int64, c_uint64 = ctypes.c_int64, ctypes.c_uint64
POLICY_STS, RESULT_CERTIFICATE_EXPIRED, RESULT_OTHER, PARSE_STRICT, JSON_PRETTY = 1, 3, 0, 1, 1
report_parse = declare("tlsrpt_report_parse", c_int, PH, c_char_p, c_size_t, c_uint, H)
report_organization_name = declare("tlsrpt_report_organization_name", c_char_p, H)
report_contact_info = declare("tlsrpt_report_contact_info", c_char_p, H)
report_id = declare("tlsrpt_report_id", c_char_p, H)
report_start_time = declare("tlsrpt_report_start_time", c_int64, H)
report_end_time = declare("tlsrpt_report_end_time", c_int64, H)
report_policy_count = declare("tlsrpt_report_policy_count", c_size_t, H)
report_policy = declare("tlsrpt_report_policy", H, H, c_size_t)
policy_type = declare("tlsrpt_policy_type", c_int, H)
policy_type_name = declare("tlsrpt_policy_type_name", c_char_p, H)
policy_domain = declare("tlsrpt_policy_domain", c_char_p, H)
policy_string_count = declare("tlsrpt_policy_string_count", c_size_t, H)
policy_string = declare("tlsrpt_policy_string", c_char_p, H, c_size_t)
policy_mx_host_count = declare("tlsrpt_policy_mx_host_count", c_size_t, H)
policy_mx_host = declare("tlsrpt_policy_mx_host", c_char_p, H, c_size_t)
policy_successful_sessions = declare("tlsrpt_policy_successful_sessions", c_uint64, H)
policy_failed_sessions = declare("tlsrpt_policy_failed_sessions", c_uint64, H)
policy_failure_count = declare("tlsrpt_policy_failure_count", c_size_t, H)
policy_failure = declare("tlsrpt_policy_failure", H, H, c_size_t)
failure_result_type = declare("tlsrpt_failure_result_type", c_char_p, H)
failure_result_code = declare("tlsrpt_failure_result_code", c_int, H)
failure_sending_mta_ip = declare("tlsrpt_failure_sending_mta_ip", c_char_p, H)
failure_receiving_ip = declare("tlsrpt_failure_receiving_ip", c_char_p, H)
failure_receiving_mx_hostname = declare("tlsrpt_failure_receiving_mx_hostname", c_char_p, H)
failure_reason_code = declare("tlsrpt_failure_reason_code", c_char_p, H)
failure_session_count = declare("tlsrpt_failure_session_count", c_uint64, H)
result_type_description = declare("tlsrpt_result_type_description", c_char_p, c_char_p)
report_validate = declare("tlsrpt_report_validate", c_int, H, H)
report_new = declare("tlsrpt_report_new", c_int, PH, c_char_p, c_char_p, c_char_p, c_int64, c_int64)
report_add_policy = declare("tlsrpt_report_add_policy", c_int, H, c_int, c_char_p, POINTER(c_char_p), c_size_t,
                            POINTER(c_char_p), c_size_t, PH)
policy_add_successes = declare("tlsrpt_policy_add_successes", c_int, H, c_uint64)
failure_new = declare("tlsrpt_failure_new", c_int, PH, c_char_p)
failure_set_sending_mta_ip = declare("tlsrpt_failure_set_sending_mta_ip", c_int, H, c_char_p)
failure_set_receiving_ip = declare("tlsrpt_failure_set_receiving_ip", c_int, H, c_char_p)
failure_set_receiving_mx_hostname = declare("tlsrpt_failure_set_receiving_mx_hostname", c_int, H, c_char_p)
failure_set_reason_code = declare("tlsrpt_failure_set_reason_code", c_int, H, c_char_p)
policy_add_failures = declare("tlsrpt_policy_add_failures", c_int, H, H, c_uint64)
failure_free = declare("tlsrpt_failure_free", None, H)
report_merge = declare("tlsrpt_report_merge", c_int, H, H)
report_serialize = declare("tlsrpt_report_serialize", c_int, H, c_uint, PSTR, POINTER(c_size_t))
report_serialize_gzip = declare("tlsrpt_report_serialize_gzip", c_int, H, PSTR, POINTER(c_size_t))
report_filename = declare("tlsrpt_report_filename", c_int, H, c_char_p, c_char_p, c_char_p, c_int, PSTR)
report_free = declare("tlsrpt_report_free", None, H)
# dns.h
TXT_LOOKUP_FN = CFUNCTYPE(c_int, c_char_p, c_void_p, c_void_p)  # tlsrpt_txt_lookup_fn
resolver_new = declare("tlsrpt_resolver_new", c_int, PH)
resolver_set_nameserver = declare("tlsrpt_resolver_set_nameserver", c_int, H, c_char_p, c_uint16)
resolver_set_timeout = declare("tlsrpt_resolver_set_timeout", c_int, H, c_uint32)
resolver_set_retries = declare("tlsrpt_resolver_set_retries", c_int, H, c_uint)
resolver_set_lookup = declare("tlsrpt_resolver_set_lookup", c_int, H, TXT_LOOKUP_FN, c_void_p)
txt_answer_add = declare("tlsrpt_txt_answer_add", c_int, H, POINTER(c_char_p), POINTER(c_size_t), c_size_t)
txt_answer_set_authenticated = declare("tlsrpt_txt_answer_set_authenticated", c_int, H, c_int)
resolver_free = declare("tlsrpt_resolver_free", None, H)
lookup = declare("tlsrpt_lookup", c_int, H, c_char_p, PH)
result_status = declare("tlsrpt_lookup_result_status", c_int, H)
result_qname = declare("tlsrpt_lookup_result_qname", c_char_p, H)
result_txt_count = declare("tlsrpt_lookup_result_txt_count", c_size_t, H)
result_txt = declare("tlsrpt_lookup_result_txt", c_void_p, H, c_size_t)  # may hold NUL bytes: read with length
result_txt_length = declare("tlsrpt_lookup_result_txt_length", c_size_t, H, c_size_t)
result_record = declare("tlsrpt_lookup_result_record", H, H)
result_authenticated = declare("tlsrpt_lookup_result_authenticated", c_int, H)
result_diag = declare("tlsrpt_lookup_result_diag", H, H)
result_free = declare("tlsrpt_lookup_result_free", None, H)
check_authorization = declare("tlsrpt_check_authorization", c_int, H, c_char_p, H, POINTER(c_int), H)
# sts.h (since 1.1)
STS_MODE_NONE, STS_MODE_TESTING, STS_MODE_ENFORCE = 0, 1, 2
STS_LINT_NO_TLSRPT = 1
sts_record_parse = declare("tlsrpt_sts_record_parse", c_int, PH, c_char_p, c_size_t, H)
sts_record_new = declare("tlsrpt_sts_record_new", c_int, PH, c_char_p)
sts_record_id = declare("tlsrpt_sts_record_id", c_char_p, H)
sts_record_serialize = declare("tlsrpt_sts_record_serialize", c_int, H, PSTR, POINTER(c_size_t))
sts_record_free = declare("tlsrpt_sts_record_free", None, H)
sts_policy_parse = declare("tlsrpt_sts_policy_parse", c_int, PH, c_char_p, c_size_t, H)
sts_policy_new = declare("tlsrpt_sts_policy_new", c_int, PH, c_int, c_uint32)
sts_policy_add_mx = declare("tlsrpt_sts_policy_add_mx", c_int, H, c_char_p)
sts_policy_mode = declare("tlsrpt_sts_policy_mode", c_int, H)
sts_policy_max_age = declare("tlsrpt_sts_policy_max_age", c_uint32, H)
sts_policy_mx_count = declare("tlsrpt_sts_policy_mx_count", c_size_t, H)
sts_policy_mx = declare("tlsrpt_sts_policy_mx", c_char_p, H, c_size_t)
sts_policy_string_count = declare("tlsrpt_sts_policy_string_count", c_size_t, H)
sts_policy_string = declare("tlsrpt_sts_policy_string", c_char_p, H, c_size_t)
sts_policy_serialize = declare("tlsrpt_sts_policy_serialize", c_int, H, PSTR, POINTER(c_size_t))
sts_policy_lint = declare("tlsrpt_sts_policy_lint", c_int, H, c_uint, POINTER(c_char_p), c_size_t, H)
sts_policy_matches = declare("tlsrpt_sts_policy_matches", c_int, H, c_char_p)
sts_policy_free = declare("tlsrpt_sts_policy_free", None, H)
report_add_sts_policy = declare("tlsrpt_report_add_sts_policy", c_int, H, c_char_p, H, PH)
# common.h, tls.h, event.h (since 1.1)
status_name = declare("tlsrpt_status_name", c_char_p, c_int)
PCSTR = POINTER(c_char_p)  # "const char **": a static string
result_type_from_openssl = declare("tlsrpt_result_type_from_openssl", c_int, ctypes.c_long, PCSTR, PCSTR)
result_type_from_gnutls = declare("tlsrpt_result_type_from_gnutls", c_int, c_uint, PCSTR, PCSTR)
result_type_from_tls_alert = declare("tlsrpt_result_type_from_tls_alert", c_int, c_int, c_int, PCSTR, PCSTR)
result_type_from_starttls = declare("tlsrpt_result_type_from_starttls", c_int, c_int, PCSTR, PCSTR)
EVENT_MAX_SIZE, TLS_ALERT_SENT = 65507, 1
event_encode = declare("tlsrpt_event_encode", c_int, c_void_p, c_size_t, POINTER(c_size_t), ctypes.c_int64, c_int,
                       c_char_p, POINTER(c_char_p), c_size_t, POINTER(c_char_p), c_size_t, H, ctypes.c_uint64)
event_peek = declare("tlsrpt_event_peek", c_int, c_char_p, c_size_t, POINTER(c_size_t), POINTER(ctypes.c_int64), H)
report_apply_event = declare("tlsrpt_report_apply_event", c_int, H, c_char_p, c_size_t, H)


def take_string(ptr, length):
    """Copies a new "char **out" string (length-delimited) and releases the library's copy with tlsrpt_free."""
    try:
        return ctypes.string_at(ptr, length)
    finally:
        tlsrpt_free(ptr)


def diags(d):
    """The whole diagnostics list as (id, severity, offset, path) tuples."""
    return [(diag_id(d, i).decode(), diag_severity(d, i), diag_offset(d, i), diag_path(d, i).decode())
            for i in range(diag_count(d))]


class Diag:
    """A tlsrpt_diag owned by Python: freed with tlsrpt_diag_free when the with-block ends."""
    def __enter__(self):
        self.h = c_void_p()
        assert diag_new(byref(self.h)) == OK and self.h.value
        return self.h

    def __exit__(self, *exc):
        diag_free(self.h)


class CommonTest(unittest.TestCase):
    def test_versions_and_status_strings(self):
        self.assertEqual(version_string().decode().count("."), 2)
        major, minor, patch = (int(x) for x in version_string().decode().split("."))
        self.assertEqual(major, 1)
        self.assertEqual(version_number(), major * 10000 + minor * 100 + patch)
        for code in (OK, ENOMEM, EINVAL, ESYNTAX, ESEMANTIC, ELIMIT, ENOTFOUND, EMULTIPLE, ETEMPFAIL, EUNSUPPORTED,
                     12345, -12345):
            s = status_string(code)
            self.assertIsInstance(s, bytes)
            self.assertGreater(len(s), 0)
        self.assertNotEqual(status_string(ESYNTAX), status_string(ESEMANTIC))

    def test_free_null_is_noop(self):
        tlsrpt_free(None)
        diag_free(None)
        record_free(None)
        uri_free(None)
        resolver_free(None)
        result_free(None)
        self.assertEqual(diag_count(None), 0)


class RecordTest(unittest.TestCase):
    def test_parse_serialize_and_diagnostics(self):
        text = b"v=TLSRPTv1 ;rua=mailto:tlsrpt@example.com,https://r.example.net/x;ext=1"
        rec = c_void_p(12345)  # must be replaced by the new handle
        with Diag() as d:
            self.assertEqual(record_parse(byref(rec), text, len(text), d), OK)
            self.assertEqual(diags(d), [("record-space-before-semicolon", SEVERITY_WARNING, 10, ""),
                                        ("record-extension-unknown", SEVERITY_INFO, 66, "")])
            self.assertGreater(len(diag_message(d, 0)), 0)
            self.assertIsNone(diag_id(d, 2))                 # out of range: NULL
            self.assertEqual(diag_offset(d, 2), NO_OFFSET)
        try:
            self.assertEqual(record_rua_count(rec), 2)
            u0, u1 = record_rua(rec, 0), record_rua(rec, 1)      # borrowed: never freed
            self.assertIsNone(record_rua(rec, 2))
            self.assertEqual(uri_scheme(u0), URI_MAILTO)
            self.assertEqual(uri_mailbox(u0), b"tlsrpt@example.com")
            self.assertEqual(uri_host(u0), b"example.com")
            self.assertEqual(uri_scheme(u1), URI_HTTPS)
            self.assertEqual(uri_string(u1), b"https://r.example.net/x")
            self.assertIsNone(uri_mailbox(u1))
            self.assertEqual(record_extension_count(rec), 1)
            self.assertEqual(record_extension_name(rec, 0), b"ext")
            self.assertEqual(record_extension_value(rec, 0), b"1")
            out, n = c_void_p(), c_size_t()
            self.assertEqual(record_serialize(rec, byref(out), byref(n)), OK)
            self.assertEqual(take_string(out, n.value),
                             b"v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://r.example.net/x; ext=1")
            with Diag() as d:
                self.assertEqual(record_lint(rec, b"example.com", d), OK)
                self.assertEqual(diags(d), [("lint-rua-external", SEVERITY_INFO, NO_OFFSET, "")])
                self.assertIn(b"example.com._report._tls.r.example.net", diag_message(d, 0))
        finally:
            record_free(rec)

    def test_length_delimited_input_with_embedded_nul(self):
        text = b"v=TLSRPTv1;rua=mailto:a@example.com\0;x=y"
        rec = c_void_p(12345)
        with Diag() as d:
            # The whole buffer is read, NUL included: the NUL is found at its offset.
            self.assertEqual(record_parse(byref(rec), text, len(text), d), ESYNTAX)
            self.assertIsNone(rec.value)                         # *out = NULL on failure
            self.assertEqual(diags(d), [("record-nul", SEVERITY_ERROR, 35, "")])
            diag_clear(d)
            # The same bytes up to the NUL are a valid record: only len bytes are read.
            self.assertEqual(record_parse(byref(rec), text, 35, d), OK)
            self.assertEqual(diag_count(d), 0)
            record_free(rec)
        self.assertEqual(record_is_candidate(b"v=TLSRPTv1 ;", 12), 1)
        self.assertEqual(record_is_candidate(b"v=TLSRPTv1 ;", 11), 0)
        self.assertEqual(record_is_candidate(b"v=spf1 -all", 11), 0)

    def test_parse_error_offset(self):
        rec = c_void_p()
        with Diag() as d:
            text = b"v=TLSRPTv1;rua=mailto:a@example.com,ftp://x.example/;;"
            self.assertEqual(record_parse(byref(rec), text, len(text), d), ESYNTAX)
            self.assertIsNone(rec.value)
            self.assertEqual(diags(d)[-1], ("record-field-empty", SEVERITY_ERROR, 53, ""))
        # diag may be NULL
        self.assertEqual(record_parse(byref(rec), b"v=TLSRPTv1", 10, None), ESYNTAX)
        self.assertIsNone(rec.value)

    def test_build_and_zone(self):
        rec = c_void_p()
        self.assertEqual(record_new(byref(rec)), OK)
        try:
            out = c_void_p()
            self.assertEqual(record_serialize(rec, byref(out), None), ESEMANTIC)   # no destination yet
            self.assertIsNone(out.value)
            self.assertEqual(record_add_rua(rec, b"tlsrpt@example.com", None), OK)  # bare address: mailto:
            self.assertEqual(record_add_rua(rec, b"https://reports.example.com/v1", None), OK)
            with Diag() as d:
                self.assertEqual(record_add_rua(rec, b"mailto:a@b.example,c@d.example", d), ESYNTAX)
                self.assertEqual(diags(d), [("uri-unencoded-delimiter", SEVERITY_ERROR, 18, "")])
            self.assertEqual(record_add_extension(rec, b"note", b"ffi"), OK)
            self.assertEqual(record_add_extension(rec, b"rua", b"x"), EINVAL)
            self.assertEqual(record_rua_count(rec), 2)
            n = c_size_t()
            self.assertEqual(record_serialize(rec, byref(out), byref(n)), OK)
            want = b"v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.com/v1; note=ffi"
            self.assertEqual(take_string(out, n.value), want)
            self.assertEqual(record_to_zone(rec, "b\u00fccher.example.".encode(), 3600, byref(out), byref(n)), OK)
            self.assertEqual(take_string(out, n.value),
                             b'_smtp._tls.xn--bcher-kva.example. 3600 IN TXT "' + want + b'"')
            self.assertEqual(record_to_zone(rec, b"example.com", 0, byref(out), None), OK)
            zone = ctypes.string_at(out)                        # NUL-terminated when out_len is NULL
            tlsrpt_free(out)
            self.assertEqual(zone, b'_smtp._tls.example.com. IN TXT "' + want + b'"')
            self.assertEqual(record_to_zone(rec, b"not a domain", 60, byref(out), None), EINVAL)
            self.assertIsNone(out.value)
        finally:
            record_free(rec)


class UriTest(unittest.TestCase):
    def test_uri_parse(self):
        u = c_void_p()
        text = b"mailto:Tls%2Brpt@B%C3%BCcher.example?subject=x"
        with Diag() as d:
            self.assertEqual(uri_parse(byref(u), text, len(text), d), OK)
            self.assertEqual(diags(d), [("mailto-hfields-ignored", SEVERITY_INFO, 36, "")])
        try:
            self.assertEqual(uri_scheme(u), URI_MAILTO)
            self.assertEqual(uri_host(u), b"xn--bcher-kva.example")
            self.assertEqual(uri_mailbox(u), "Tls+rpt@B\u00fccher.example".encode())   # percent-decoded
            self.assertEqual(uri_string(u), text)
        finally:
            uri_free(u)
        with Diag() as d:
            self.assertEqual(uri_parse(byref(u), b"https:x", 7, d), ESYNTAX)
            self.assertIsNone(u.value)
            self.assertEqual(diags(d)[0][0:2], ("https-no-host", SEVERITY_ERROR))


class LookupTest(unittest.TestCase):
    def make_resolver(self, fn):
        res = c_void_p()
        self.assertEqual(resolver_new(byref(res)), OK)
        self.addCleanup(resolver_free, res)
        self.assertEqual(resolver_set_lookup(res, fn, None), OK)
        return res

    def test_lookup_through_ctypes_callback(self):
        seen = []

        def py_lookup(qname, answer, userdata):
            seen.append(qname)
            if qname != b"_smtp._tls.xn--bcher-kva.example.":
                return ENOTFOUND
            rrs = [[b"v=TLSRPTv1; rua=mailto:tls@", b"example.com"],
                   [b"v=spf1 -all"],
                   [b"bin\0ary"]]                                # TXT data may hold NUL bytes
            for rr in rrs:
                strings = (c_char_p * len(rr))(*rr)
                lens = (c_size_t * len(rr))(*(len(s) for s in rr))
                if txt_answer_add(answer, strings, lens, len(rr)) != OK:
                    return ETEMPFAIL
            self.assertEqual(txt_answer_set_authenticated(answer, 1), OK)
            return OK

        # The CFUNCTYPE object must stay alive as long as the resolver may call it: keep a reference.
        callback = TXT_LOOKUP_FN(py_lookup)
        res = self.make_resolver(callback)

        result = c_void_p()
        self.assertEqual(lookup(res, "B\u00fccher.example".encode(), byref(result)), OK)
        try:
            self.assertEqual(seen, [b"_smtp._tls.xn--bcher-kva.example."])
            self.assertEqual(result_status(result), OK)
            self.assertEqual(result_qname(result), b"_smtp._tls.xn--bcher-kva.example.")
            self.assertEqual(result_txt_count(result), 3)
            txt = [ctypes.string_at(result_txt(result, i), result_txt_length(result, i)) for i in range(3)]
            self.assertEqual(txt, [b"v=TLSRPTv1; rua=mailto:tls@example.com", b"v=spf1 -all", b"bin\0ary"])
            self.assertIsNone(result_txt(result, 3))
            self.assertEqual(result_authenticated(result), 1)
            rec = result_record(result)                          # borrowed from the result
            self.assertEqual(record_rua_count(rec), 1)
            self.assertEqual(uri_mailbox(record_rua(rec, 0)), b"tls@example.com")
            self.assertEqual(diags(result_diag(result)),
                             [("dns-txt-not-tlsrpt", SEVERITY_INFO, NO_OFFSET, ""),
                              ("dns-txt-not-tlsrpt", SEVERITY_INFO, NO_OFFSET, "")])
        finally:
            result_free(result)

        self.assertEqual(lookup(res, b"missing.example", byref(result)), ENOTFOUND)
        try:
            self.assertEqual(result_status(result), ENOTFOUND)
            self.assertIsNone(result_record(result))
            self.assertEqual(diags(result_diag(result)), [("dns-nxdomain", SEVERITY_ERROR, NO_OFFSET, "")])
        finally:
            result_free(result)

        self.assertEqual(lookup(res, b"bad domain", byref(result)), EINVAL)
        self.assertIsNone(result.value)

    def test_callback_temporary_failure(self):
        # A binding must catch its own exceptions in the callback and return TLSRPT_ETEMPFAIL: ctypes would print
        # the exception and return 0 (TLSRPT_OK, "no records") for an int callback.
        def failing(qname, answer, userdata):
            return ETEMPFAIL

        callback = TXT_LOOKUP_FN(failing)
        res = self.make_resolver(callback)
        result = c_void_p()
        self.assertEqual(lookup(res, b"example.com", byref(result)), ETEMPFAIL)
        self.assertEqual(result_status(result), ETEMPFAIL)
        result_free(result)

    def test_check_authorization(self):
        def authz(qname, answer, userdata):
            if qname == b"example.com._report._tls.reports.example.net.":
                s = (c_char_p * 1)(b"v=TLSRPTv1")
                n = (c_size_t * 1)(10)
                return txt_answer_add(answer, s, n, 1)
            return ENOTFOUND

        callback = TXT_LOOKUP_FN(authz)
        res = self.make_resolver(callback)
        verdict = c_int(-1)
        for text, want in ((b"mailto:tls@reports.example.net", AUTH_AUTHORIZED),
                           (b"mailto:tls@mail.example.com", AUTH_NOT_REQUIRED),
                           (b"https://other.example.org/r", AUTH_NOT_AUTHORIZED)):
            u = c_void_p()
            self.assertEqual(uri_parse(byref(u), text, len(text), None), OK)
            try:
                self.assertEqual(check_authorization(res, b"example.com", u, byref(verdict), None), OK)
                self.assertEqual(verdict.value, want, text)
            finally:
                uri_free(u)

    def test_resolver_settings(self):
        res = c_void_p()
        self.assertEqual(resolver_new(byref(res)), OK)
        try:
            self.assertEqual(resolver_set_nameserver(res, b"127.0.0.1", 53), OK)
            self.assertEqual(resolver_set_timeout(res, 0), EINVAL)
            self.assertEqual(resolver_set_timeout(res, 250), OK)
            self.assertEqual(resolver_set_retries(res, 11), EINVAL)
            self.assertEqual(resolver_set_retries(res, 0), OK)
            self.assertEqual(resolver_set_lookup(res, TXT_LOOKUP_FN(), None), OK)  # NULL: back to the network
        finally:
            resolver_free(res)


REPORT_JSON = (b'{"organization-name":"FFI Org","date-range":{"start-datetime":"2024-07-01T00:00:00Z",'
               b'"end-datetime":"2024-07-01T23:59:59Z"},"contact-info":"tls@ffi.example","report-id":"ffi-1",'
               b'"policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1","mode: enforce"],'
               b'"policy-domain":"ffi.example","mx-host":["mx.ffi.example"]},"summary":{'
               b'"total-successful-session-count":18446744073709551615,"total-failure-session-count":2},'
               b'"failure-details":[{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.1",'
               b'"receiving-ip":"198.51.100.2","receiving-mx-hostname":"mx.ffi.example","failed-session-count":2},'
               b'{"result-type":"x-unknown","sending-mta-ip":"192.0.2.1","receiving-ip":"198.51.100.2",'
               b'"receiving-mx-hostname":"mx.ffi.example","failed-session-count":0}]}]}')


class ReportTest(unittest.TestCase):
    def parse(self, data, flags=0):
        rep, d = c_void_p(), c_void_p()
        self.assertEqual(diag_new(byref(d)), OK)
        try:
            rc = report_parse(byref(rep), data, len(data), flags, d)
            return rc, rep, diags(d)
        finally:
            diag_free(d)

    def walk(self, rep):
        """The whole report through the getters, as plain Python values."""
        out = {"org": report_organization_name(rep), "contact": report_contact_info(rep), "id": report_id(rep),
               "start": report_start_time(rep), "end": report_end_time(rep), "policies": []}
        for i in range(report_policy_count(rep)):
            p = report_policy(rep, i)
            pol = {"type": policy_type(p), "type_name": policy_type_name(p), "domain": policy_domain(p),
                   "strings": [policy_string(p, k) for k in range(policy_string_count(p))],
                   "mx": [policy_mx_host(p, k) for k in range(policy_mx_host_count(p))],
                   "ok": policy_successful_sessions(p), "failed": policy_failed_sessions(p), "details": []}
            for k in range(policy_failure_count(p)):
                f = policy_failure(p, k)
                pol["details"].append((failure_result_type(f), failure_result_code(f), failure_sending_mta_ip(f),
                                       failure_receiving_ip(f), failure_receiving_mx_hostname(f),
                                       failure_reason_code(f), failure_session_count(f)))
            out["policies"].append(pol)
        return out

    def test_parse_and_walk(self):
        rc, rep, found = self.parse(REPORT_JSON)
        try:
            self.assertEqual(rc, OK)
            # The one deviation: an unregistered result type, at the byte offset of its value.
            self.assertEqual(found, [("report-result-type-unknown", SEVERITY_WARNING,
                                      REPORT_JSON.index(b'"x-unknown"'), "/policies/0/failure-details/1/result-type")])
            w = self.walk(rep)
            self.assertEqual((w["org"], w["contact"], w["id"]), (b"FFI Org", b"tls@ffi.example", b"ffi-1"))
            self.assertEqual((w["start"], w["end"]), (1719792000, 1719878399))
            self.assertEqual(len(w["policies"]), 1)
            p = w["policies"][0]
            self.assertEqual((p["type"], p["type_name"], p["domain"]), (POLICY_STS, b"sts", b"ffi.example"))
            self.assertEqual(p["strings"], [b"version: STSv1", b"mode: enforce"])
            self.assertEqual(p["mx"], [b"mx.ffi.example"])
            self.assertEqual(p["ok"], 18446744073709551615)  # full uint64 range across the FFI
            self.assertEqual(p["failed"], 2)
            self.assertEqual(p["details"][0], (b"certificate-expired", RESULT_CERTIFICATE_EXPIRED, b"192.0.2.1",
                                               b"198.51.100.2", b"mx.ffi.example", None, 2))
            self.assertEqual(p["details"][1][:2], (b"x-unknown", RESULT_OTHER))
            self.assertIsNotNone(result_type_description(b"certificate-expired"))
            self.assertIsNone(result_type_description(b"x-unknown"))
            self.assertIsNone(report_policy(rep, 1))
        finally:
            report_free(rep)

    def test_unknown_result_type_is_a_warning_then_a_strict_error(self):
        rc, rep, found = self.parse(REPORT_JSON)
        report_free(rep)
        self.assertEqual(rc, OK)
        ids = [(i, sev, path) for i, sev, _, path in found]
        self.assertIn(("report-result-type-unknown", SEVERITY_WARNING, "/policies/0/failure-details/1/result-type"),
                      ids)
        rc, rep, found = self.parse(REPORT_JSON, PARSE_STRICT)
        self.assertEqual(rc, ESEMANTIC)
        self.assertIsNone(rep.value)
        self.assertIn(("report-result-type-unknown", SEVERITY_ERROR, "/policies/0/failure-details/1/result-type"),
                      [(i, sev, path) for i, sev, _, path in found])

    def test_syntax_error_has_offset_and_path(self):
        rc, rep, found = self.parse(b'{"organization-name": tru}')
        self.assertEqual(rc, ESYNTAX)
        self.assertIsNone(rep.value)
        self.assertTrue(found)
        self.assertEqual(found[0][1], SEVERITY_ERROR)
        self.assertNotEqual(found[0][2], NO_OFFSET)

    def test_build_serialize_parse_back(self):
        rep = c_void_p()
        self.assertEqual(report_new(byref(rep), b"Builder", b"tls@builder.example", b"b-1", 1719792000, 1719878399),
                         OK)
        try:
            strings = (c_char_p * 2)(b"version: STSv1", b"mode: testing")
            mxs = (c_char_p * 1)(b"mx.dest.example")
            pol, again = c_void_p(), c_void_p()
            self.assertEqual(report_add_policy(rep, POLICY_STS, b"dest.example", strings, 2, mxs, 1, byref(pol)), OK)
            self.assertEqual(report_add_policy(rep, POLICY_STS, b"dest.example", strings, 2, mxs, 1, byref(again)),
                             OK)
            self.assertEqual(pol.value, again.value)  # the existing equal policy, borrowed from the report
            self.assertEqual(policy_add_successes(pol, 41), OK)
            f = c_void_p()
            self.assertEqual(failure_new(byref(f), b"certificate-expired"), OK)
            try:
                self.assertEqual(failure_set_sending_mta_ip(f, b"192.0.2.7"), OK)
                self.assertEqual(failure_set_sending_mta_ip(f, b"192.0.2.777"), EINVAL)
                self.assertEqual(failure_set_receiving_ip(f, b"2001:DB8::1"), OK)
                self.assertEqual(failure_set_receiving_mx_hostname(f, b"MX.Dest.Example"), OK)
                self.assertEqual(failure_set_reason_code(f, b"X509_V_ERR_CERT_HAS_EXPIRED"), OK)
                self.assertEqual(policy_add_failures(pol, f, 2), OK)
                self.assertEqual(policy_add_failures(pol, f, 3), OK)
            finally:
                failure_free(f)
            self.assertEqual(report_merge(rep, rep), OK)  # into itself: every count doubles
            out, n = c_void_p(), c_size_t()
            self.assertEqual(report_serialize(rep, JSON_PRETTY, byref(out), byref(n)), OK)
            text = take_string(out, n.value)
            self.assertIn(b'"total-successful-session-count": 82', text)
            gz, gz_len = c_void_p(), c_size_t()
            self.assertEqual(report_serialize_gzip(rep, byref(gz), byref(gz_len)), OK)
            packed = take_string(gz, gz_len.value)
            self.assertEqual(packed[:2], b"\x1f\x8b")
            for data in (text, packed):
                rc, back, found = self.parse(data, PARSE_STRICT)
                try:
                    self.assertEqual(rc, OK, found)
                    w = self.walk(back)
                    p = w["policies"][0]
                    self.assertEqual((p["ok"], p["failed"]), (82, 10))
                    self.assertEqual(p["details"], [(b"certificate-expired", RESULT_CERTIFICATE_EXPIRED,
                                                     b"192.0.2.7", b"2001:db8::1", b"mx.dest.example",
                                                     b"X509_V_ERR_CERT_HAS_EXPIRED", 10)])
                finally:
                    report_free(back)
            name = c_void_p()
            self.assertEqual(report_filename(rep, b"sender.example", b"dest.example", b"001", 1, byref(name)), OK)
            self.assertEqual(ctypes.string_at(name), b"sender.example!dest.example!1719792000!1719878399!001.json.gz")
            tlsrpt_free(name)
            self.assertEqual(report_filename(rep, b"sender.example", b"dest.example", b"0-1", 0, byref(name)), EINVAL)
            self.assertIsNone(name.value)
            with Diag() as d:
                self.assertEqual(report_validate(rep, d), OK)
        finally:
            report_free(rep)
        report_free(None)


class StsTest(unittest.TestCase):
    POLICY = b"version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmx: *.example.net\r\nmax_age: 86400\r\n"

    def test_record(self):
        rec = c_void_p(1)
        text = b"v=STSv1 ; id=20160831085700Z"
        with Diag() as d:
            self.assertEqual(sts_record_parse(byref(rec), text, len(text), d), OK)
            self.assertEqual(diags(d), [("sts-record-space-before-semicolon", SEVERITY_WARNING, 7, "")])
        try:
            self.assertEqual(sts_record_id(rec), b"20160831085700Z")
            out, n = c_void_p(), c_size_t()
            self.assertEqual(sts_record_serialize(rec, byref(out), byref(n)), OK)
            self.assertEqual(take_string(out, n.value), b"v=STSv1; id=20160831085700Z;")
        finally:
            sts_record_free(rec)
        bad = c_void_p(1)
        self.assertEqual(sts_record_new(byref(bad), b"not-an-id"), EINVAL)
        self.assertIsNone(bad.value)
        sts_record_free(None)

    def test_policy_match_lint_and_report(self):
        pol = c_void_p()
        with Diag() as d:
            self.assertEqual(sts_policy_parse(byref(pol), self.POLICY, len(self.POLICY), d), OK)
            self.assertEqual(diag_count(d), 0)
        try:
            self.assertEqual((sts_policy_mode(pol), sts_policy_max_age(pol)), (STS_MODE_TESTING, 86400))
            self.assertEqual([sts_policy_mx(pol, i) for i in range(sts_policy_mx_count(pol))],
                             [b"mx1.example.com", b"*.example.net"])
            self.assertEqual([sts_policy_string(pol, i) for i in range(sts_policy_string_count(pol))],
                             [b"version: STSv1", b"mode: testing", b"mx: mx1.example.com", b"mx: *.example.net",
                              b"max_age: 86400"])
            self.assertEqual(sts_policy_matches(pol, b"MX.Example.NET."), 1)
            self.assertEqual(sts_policy_matches(pol, b"a.mx.example.net"), 0)
            self.assertEqual(sts_policy_matches(pol, b"not a host"), EINVAL)
            hosts = (c_char_p * 2)(b"mx1.example.com", b"mx2.example.org")
            with Diag() as d:
                self.assertEqual(sts_policy_lint(pol, STS_LINT_NO_TLSRPT, hosts, 2, d), OK)
                self.assertEqual(sorted(x[0] for x in diags(d)),
                                 ["lint-sts-mx-uncovered", "lint-sts-mx-unused", "lint-sts-testing-no-tlsrpt"])
            out, n = c_void_p(), c_size_t()
            self.assertEqual(sts_policy_serialize(pol, byref(out), byref(n)), OK)
            self.assertEqual(take_string(out, n.value), self.POLICY)
            rep = c_void_p()
            self.assertEqual(report_new(byref(rep), b"MTA", None, b"r-1", 1719792000, 1719878399), OK)
            try:
                a, b = c_void_p(), c_void_p()
                self.assertEqual(report_add_sts_policy(rep, b"example.com", pol, byref(a)), OK)
                self.assertEqual(report_add_sts_policy(rep, b"EXAMPLE.com", pol, byref(b)), OK)
                self.assertEqual(a.value, b.value)
            finally:
                report_free(rep)
        finally:
            sts_policy_free(pol)
        built = c_void_p()
        self.assertEqual(sts_policy_new(byref(built), STS_MODE_ENFORCE, 604800), OK)
        try:
            self.assertEqual(sts_policy_add_mx(built, "*.b\u00fccher.example".encode()), OK)
            self.assertEqual(sts_policy_mx(built, 0), b"*.xn--bcher-kva.example")
            self.assertEqual(sts_policy_add_mx(built, b"a.*.example"), EINVAL)
        finally:
            sts_policy_free(built)


class ReportApi11Test(unittest.TestCase):
    """Issue 13's report functions as a binding uses them: a report-owned detail refuses changes (bindings lose the
    const), canonical TLSA policies from ctypes arrays, per-domain extraction, the domain check's reason."""

    def setUp(self):
        self.set_result_type = declare("tlsrpt_failure_set_result_type", c_int, H, c_char_p)
        self.reset = declare("tlsrpt_failure_reset", c_int, H, c_char_p)
        self.add_tlsa = declare("tlsrpt_report_add_tlsa_policy", c_int, H, c_char_p, POINTER(ctypes.c_uint8),
                                POINTER(ctypes.c_uint8), POINTER(ctypes.c_uint8), POINTER(c_void_p),
                                POINTER(c_size_t), c_size_t, PH)
        self.extract = declare("tlsrpt_report_extract", c_int, H, c_char_p, c_char_p, PH)
        self.domain_check = declare("tlsrpt_domain_check", c_int, c_char_p, H)
        self.rep = c_void_p()
        self.assertEqual(report_new(byref(self.rep), b"B", b"tls@b.example", b"day", 1719792000, 1719878399), OK)

    def tearDown(self):
        report_free(self.rep)

    def serialize(self):
        out, n = c_void_p(), c_size_t()
        self.assertEqual(report_serialize(self.rep, 0, byref(out), byref(n)), OK)
        return take_string(out, n.value)

    def test_report_owned_detail_refuses_changes(self):
        pol = c_void_p()
        self.assertEqual(report_add_policy(self.rep, POLICY_STS, b"dest.example", None, 0, None, 0, byref(pol)), OK)
        f = c_void_p()
        self.assertEqual(failure_new(byref(f), b"certificate-expired"), OK)
        try:
            for ip in (b"192.0.2.1", b"192.0.2.2"):
                self.assertEqual(failure_set_sending_mta_ip(f, ip), OK)
                self.assertEqual(policy_add_failures(pol, f, 1), OK)
            self.assertEqual(self.reset(f, b"starttls-not-supported"), OK)  # the worker's detail, reused
            self.assertEqual(failure_sending_mta_ip(f), None)
        finally:
            failure_free(f)
        before = self.serialize()
        owned = policy_failure(pol, 1)  # a handle: nothing stops the binding from passing it to a setter
        self.assertEqual(failure_set_sending_mta_ip(owned, b"192.0.2.1"), EINVAL)
        self.assertEqual(self.set_result_type(owned, b"certificate-expired"), EINVAL)
        self.assertEqual(self.reset(owned, b"x"), EINVAL)
        failure_free(owned)  # does nothing: the report owns it
        self.assertEqual(self.serialize(), before)
        self.assertEqual(policy_failure_count(pol), 2)

    def test_tlsa_any_order_and_extract(self):
        recs = [(3, 1, 1, bytes.fromhex("0c72ac70")), (2, 0, 1, bytes.fromhex("FF0001AB"))]
        first = None
        for order in (recs, recs[::-1], recs + recs):
            n = len(order)
            u = (ctypes.c_uint8 * n)(*[r[0] for r in order])
            s = (ctypes.c_uint8 * n)(*[r[1] for r in order])
            m = (ctypes.c_uint8 * n)(*[r[2] for r in order])
            bufs = [ctypes.create_string_buffer(r[3], len(r[3])) for r in order]
            data = (c_void_p * n)(*[ctypes.cast(b, c_void_p) for b in bufs])
            lens = (c_size_t * n)(*[len(r[3]) for r in order])
            pol = c_void_p()
            self.assertEqual(self.add_tlsa(self.rep, b"mx.dest.example", u, s, m, data, lens, n, byref(pol)), OK)
            first = first or pol.value
            self.assertEqual(pol.value, first)
        self.assertEqual([policy_string(first, i) for i in range(policy_string_count(first))],
                         [b"2 0 1 FF0001AB", b"3 1 1 0C72AC70"])
        other = c_void_p()
        self.assertEqual(report_add_policy(self.rep, POLICY_STS, b"other.example", None, 0, None, 0, byref(other)), OK)
        one = c_void_p()
        self.assertEqual(self.extract(self.rep, "MX.Dest.Example.".encode(), b"day.mx", byref(one)), OK)
        try:
            self.assertEqual(report_policy_count(one), 1)
            self.assertEqual(report_id(one), b"day.mx")
        finally:
            report_free(one)

    def test_domain_check_reason(self):
        with Diag() as d:
            self.assertEqual(self.domain_check(b"_smtp._tls.example.com", d), EINVAL)
            self.assertEqual(diag_id(d, 0), b"domain-record-name")
            self.assertEqual(self.domain_check("b\u00fccher.example".encode(), d), OK)
            self.assertEqual(diag_count(d), 1)


class IntegrationTest(unittest.TestCase):
    """1.1: status names, TLS verdicts to result types, outcome events."""

    def test_status_names(self):
        self.assertEqual([status_name(c) for c in (OK, ESYNTAX, EUNSUPPORTED)],
                         [b"TLSRPT_OK", b"TLSRPT_ESYNTAX", b"TLSRPT_EUNSUPPORTED"])
        self.assertIsNone(status_name(-10))

    def test_tls_mapping(self):
        t, r = c_char_p(), c_char_p()
        self.assertEqual(result_type_from_openssl(62, byref(t), byref(r)), OK)
        self.assertEqual((t.value, r.value), (b"certificate-host-mismatch", b"X509_V_ERR_HOSTNAME_MISMATCH"))
        self.assertEqual(result_type_from_gnutls((1 << 1) | (1 << 6), byref(t), byref(r)), OK)
        self.assertEqual((t.value, r.value), (b"certificate-not-trusted", b"GNUTLS_CERT_SIGNER_NOT_FOUND"))
        self.assertEqual(result_type_from_tls_alert(48, TLS_ALERT_SENT, byref(t), byref(r)), OK)
        self.assertEqual((t.value, r.value), (b"certificate-not-trusted", b"tls-alert-sent-unknown-ca"))
        self.assertEqual(result_type_from_starttls(454, byref(t), None), OK)
        self.assertEqual(t.value, b"starttls-not-supported")
        self.assertEqual(result_type_from_openssl(0, byref(t), byref(r)), EINVAL)
        self.assertIsNone(t.value)

    def test_event_round_trip(self):
        buf = ctypes.create_string_buffer(EVENT_MAX_SIZE)
        n = c_size_t()
        lines = (c_char_p * 2)(b"version: STSv1", b"mode: testing")
        self.assertEqual(event_encode(buf, EVENT_MAX_SIZE, byref(n), 1719835200, POLICY_STS, b"example.com", lines, 2,
                                      None, 0, None, 5), OK)
        data = buf.raw[:n.value]
        size, when = c_size_t(), ctypes.c_int64()
        self.assertEqual(event_peek(data + b"more", n.value + 4, byref(size), byref(when), None), OK)
        self.assertEqual((size.value, when.value), (n.value, 1719835200))
        rep = c_void_p()
        self.assertEqual(report_new(byref(rep), b"MTA", None, b"r-1", 1719792000, 1719878399), OK)
        try:
            self.assertEqual(report_apply_event(rep, data, len(data), None), OK)
            self.assertEqual(policy_successful_sessions(report_policy(rep, 0)), 5)
            with Diag() as d:
                self.assertEqual(report_apply_event(rep, b"{}", 2, d), ESYNTAX)
                self.assertEqual(diags(d), [("event-foreign", SEVERITY_ERROR, 0, "")])
        finally:
            report_free(rep)


class AggregateTest(unittest.TestCase):
    """aggregate.h (since 1.1): an mbox split, each message parsed by content, counted once, rows read back."""

    def test_mbox_parse_any_aggregate_rows(self):
        mbox_next = declare("tlsrpt_mbox_next", c_int, c_char_p, c_size_t, POINTER(c_size_t), POINTER(c_size_t),
                            POINTER(c_size_t))
        parse_any = declare("tlsrpt_report_parse_any", c_int, PH, c_char_p, c_size_t, c_uint, H)
        agg_new = declare("tlsrpt_aggregate_new", c_int, PH)
        agg_free = declare("tlsrpt_aggregate_free", None, H)
        agg_add = declare("tlsrpt_aggregate_add", c_int, H, H, POINTER(c_int))
        agg_count = declare("tlsrpt_aggregate_count", c_size_t, H, c_int)
        row_count = declare("tlsrpt_aggregate_row_count", c_size_t, H, c_int)
        row_key = declare("tlsrpt_aggregate_row_key", c_char_p, H, c_int, c_size_t)
        row_failed = declare("tlsrpt_aggregate_row_failed", ctypes.c_uint64, H, c_int, c_size_t)
        report_rows = declare("tlsrpt_report_rows", c_int, H, c_int, c_char_p, PSTR, POINTER(c_size_t))
        message = b"From: a@ffi.example\nContent-Type: application/tlsrpt+json\n\n" + REPORT_JSON + b"\n"
        box = b"From x\n" + message + b"\nFrom y\n" + message  # the same report delivered twice
        agg = c_void_p()
        self.assertEqual(agg_new(byref(agg)), OK)
        try:
            pos, off, length, verdicts, rows = c_size_t(0), c_size_t(), c_size_t(), [], []
            while mbox_next(box, len(box), byref(pos), byref(off), byref(length)) == 1:
                rep = c_void_p()
                part = box[off.value:off.value + length.value]
                self.assertEqual(parse_any(byref(rep), part, len(part), 0, None), OK)
                try:
                    v = c_int()
                    self.assertEqual(agg_add(agg, rep, byref(v)), OK)
                    verdicts.append(v.value)
                    out, n = c_void_p(), c_size_t()
                    self.assertEqual(report_rows(rep, 1, None, byref(out), byref(n)), OK)
                    rows.append(take_string(out, n.value))
                finally:
                    report_free(rep)
            self.assertEqual(verdicts, [1, 2])  # added, duplicate
            self.assertEqual((agg_count(agg, 1), agg_count(agg, 2)), (1, 1))
            self.assertEqual(row_count(agg, 3), 2)  # result types
            self.assertEqual(row_key(agg, 3, 0), b"certificate-expired")
            self.assertEqual(row_failed(agg, 3, 0), 2)
            self.assertEqual(rows[0], rows[1])
            self.assertEqual(rows[0].count(b"\n"), 3)  # one policy, two failure details
        finally:
            agg_free(agg)


if __name__ == "__main__":
    unittest.main(verbosity=2)

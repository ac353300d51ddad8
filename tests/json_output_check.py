#!/usr/bin/env python3
"""The library's JSON documents against the schema that doc/json-output.md publishes.

Loads the built libtlsrpt.so.1 with ctypes (public API only, as a binding would), makes findings, records and lookup
results (through a ctypes lookup callback: no network), writes them with tlsrpt_diag_to_json, tlsrpt_record_to_json
and tlsrpt_lookup_result_to_json, and checks each document
  - against the JSON Schema read from doc/json-output.md (its one ```json block), with a small validator for the
    subset the page uses, so that the page and the code cannot drift apart;
  - member by member against the getters (the document says what the objects say);
  - compact and TLSRPT_JSON_PRETTY output parse to the same value.

usage: json_output_check.py PATH/TO/libtlsrpt.so.1 PATH/TO/doc/json-output.md   (python3 standard library only)
"""
import ctypes
import json
import re
import sys
import unittest
from ctypes import CFUNCTYPE, POINTER, byref, c_char_p, c_int, c_size_t, c_uint, c_void_p

LIB_PATH, DOC_PATH = sys.argv.pop(1), sys.argv.pop(1)
lib = ctypes.CDLL(LIB_PATH)
OK, ESEMANTIC, EINVAL, ENOTFOUND, ETEMPFAIL = 0, -4, -2, -6, -8
NO_OFFSET = ctypes.c_size_t(-1).value
JSON_PRETTY = 1
SEVERITIES = {0: "info", 1: "warning", 2: "error"}
STATUSES = {0: "valid", -6: "not-found", -7: "multiple", -3: "syntax-error", -4: "unusable", -5: "over-limit",
            -9: "unsupported", -8: "temporary-failure"}


def declare(name, restype, *argtypes):
    fn = getattr(lib, name)
    fn.restype, fn.argtypes = restype, list(argtypes)
    return fn


H, PH, PSTR = c_void_p, POINTER(c_void_p), POINTER(c_void_p)
free = declare("tlsrpt_free", None, c_void_p)
diag_new = declare("tlsrpt_diag_new", c_int, PH)
diag_free = declare("tlsrpt_diag_free", None, H)
diag_count = declare("tlsrpt_diag_count", c_size_t, H)
diag_severity = declare("tlsrpt_diag_severity", c_int, H, c_size_t)
diag_id = declare("tlsrpt_diag_id", c_char_p, H, c_size_t)
diag_message = declare("tlsrpt_diag_message", c_char_p, H, c_size_t)
diag_offset = declare("tlsrpt_diag_offset", c_size_t, H, c_size_t)
diag_path = declare("tlsrpt_diag_path", c_char_p, H, c_size_t)
diag_hint = declare("tlsrpt_diag_hint", c_char_p, H, c_size_t)
diag_to_json = declare("tlsrpt_diag_to_json", c_int, H, c_uint, PSTR, POINTER(c_size_t))
record_parse = declare("tlsrpt_record_parse", c_int, PH, c_char_p, c_size_t, H)
record_free = declare("tlsrpt_record_free", None, H)
record_serialize = declare("tlsrpt_record_serialize", c_int, H, PSTR, POINTER(c_size_t))
record_lint = declare("tlsrpt_record_lint", c_int, H, c_char_p, H)
record_rua_count = declare("tlsrpt_record_rua_count", c_size_t, H)
record_rua = declare("tlsrpt_record_rua", H, H, c_size_t)
uri_string = declare("tlsrpt_uri_string", c_char_p, H)
uri_mailbox = declare("tlsrpt_uri_mailbox", c_char_p, H)
uri_host = declare("tlsrpt_uri_host", c_char_p, H)
record_to_json = declare("tlsrpt_record_to_json", c_int, H, c_char_p, c_uint, PSTR, POINTER(c_size_t))
record_to_strings = declare("tlsrpt_record_to_strings", c_int, H, POINTER(POINTER(c_char_p)), POINTER(c_size_t))
TXT_LOOKUP_FN = CFUNCTYPE(c_int, c_char_p, c_void_p, c_void_p)
resolver_new = declare("tlsrpt_resolver_new", c_int, PH)
resolver_set_lookup = declare("tlsrpt_resolver_set_lookup", c_int, H, TXT_LOOKUP_FN, c_void_p)
resolver_free = declare("tlsrpt_resolver_free", None, H)
txt_answer_add = declare("tlsrpt_txt_answer_add", c_int, H, POINTER(c_char_p), POINTER(c_size_t), c_size_t)
lookup = declare("tlsrpt_lookup", c_int, H, c_char_p, PH)
result_status = declare("tlsrpt_lookup_result_status", c_int, H)
result_qname = declare("tlsrpt_lookup_result_qname", c_char_p, H)
result_diag = declare("tlsrpt_lookup_result_diag", H, H)
result_free = declare("tlsrpt_lookup_result_free", None, H)
result_to_json = declare("tlsrpt_lookup_result_to_json", c_int, H, c_uint, PSTR, POINTER(c_size_t))
c_int64 = ctypes.c_int64
TTL_UNKNOWN = -1
txt_answer_add_with_ttl = declare("tlsrpt_txt_answer_add_with_ttl", c_int, H, POINTER(c_char_p), POINTER(c_size_t),
                                  c_size_t, c_int64)
txt_answer_add_cname = declare("tlsrpt_txt_answer_add_cname", c_int, H, c_char_p, c_int64)
txt_answer_set_server = declare("tlsrpt_txt_answer_set_server", c_int, H, c_char_p, ctypes.c_uint16)
result_txt_count = declare("tlsrpt_lookup_result_txt_count", c_size_t, H)
result_txt_ttl = declare("tlsrpt_lookup_result_txt_ttl", c_int64, H, c_size_t)
result_txt_string_count = declare("tlsrpt_lookup_result_txt_string_count", c_size_t, H, c_size_t)
result_txt_string = declare("tlsrpt_lookup_result_txt_string", c_void_p, H, c_size_t, c_size_t)
result_txt_string_length = declare("tlsrpt_lookup_result_txt_string_length", c_size_t, H, c_size_t, c_size_t)
result_cname_count = declare("tlsrpt_lookup_result_cname_count", c_size_t, H)
result_cname = declare("tlsrpt_lookup_result_cname", c_char_p, H, c_size_t)
result_cname_ttl = declare("tlsrpt_lookup_result_cname_ttl", c_int64, H, c_size_t)
result_server = declare("tlsrpt_lookup_result_server", c_char_p, H)
result_server_port = declare("tlsrpt_lookup_result_server_port", ctypes.c_uint16, H)


# ---- the schema from the page, and a validator for the subset it uses ---------------------------------------------

def load_schema():
    text = open(DOC_PATH, encoding="utf-8").read()
    blocks = re.findall(r"```json\n(.*?)```", text, re.S)
    if len(blocks) != 1:
        raise SystemExit("doc/json-output.md must have exactly one ```json block, found %d" % len(blocks))
    return json.loads(blocks[0])


SCHEMA = load_schema()
TYPES = {"string": str, "array": list, "object": dict, "boolean": bool, "null": type(None)}


def type_ok(value, name):
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, TYPES[name])


def validate(value, schema, where="$"):
    """Raises AssertionError naming the first place where value breaks schema."""
    if "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/$defs/"), ref
        return validate(value, SCHEMA["$defs"][ref[len("#/$defs/"):]], where)
    if "anyOf" in schema:
        errors = []
        for sub in schema["anyOf"]:
            try:
                return validate(value, sub, where)
            except AssertionError as e:
                errors.append(str(e))
        raise AssertionError("%s: matches no alternative: %s" % (where, "; ".join(errors)))
    if "enum" in schema:
        assert value in schema["enum"], "%s: %r not in %r" % (where, value, schema["enum"])
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        assert any(type_ok(value, n) for n in names), "%s: %r is not %s" % (where, value, names)
    if "maxLength" in schema and isinstance(value, str):
        assert len(value.encode()) <= schema["maxLength"], "%s: longer than %d bytes" % (where, schema["maxLength"])
    if isinstance(value, dict):
        for name in schema.get("required", []):
            assert name in value, "%s: member %r missing" % (where, name)
        props = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            extra = set(value) - set(props)
            assert not extra, "%s: members not in doc/json-output.md: %s" % (where, sorted(extra))
        for name, sub in props.items():
            if name in value:
                validate(value[name], sub, "%s.%s" % (where, name))
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            validate(item, schema["items"], "%s[%d]" % (where, i))


def ref(name):
    return {"$ref": "#/$defs/" + name}


# ---- helpers --------------------------------------------------------------------------------------------------------

def take(fn, *args):
    """Calls a "char **out, size_t *out_len" function; returns (status, the text as bytes or None)."""
    out, n = c_void_p(), c_size_t(77)
    rc = fn(*args, byref(out), byref(n))
    if rc != OK:
        assert not out.value and n.value == 0, "failure must leave *out NULL and *out_len 0"
        return rc, None
    text = ctypes.string_at(out, n.value)
    assert len(text) == n.value and ctypes.string_at(out) == text, "out_len is the length without the NUL"
    free(out)
    return rc, text


def both(fn, obj, *mid):
    """The compact and the pretty document; checks that they parse to the same value, and returns it."""
    rc, compact = take(fn, obj, *mid, 0)
    assert rc == OK, rc
    rc, pretty = take(fn, obj, *mid, JSON_PRETTY)
    assert rc == OK, rc
    assert b"\n" not in compact and b" \"" not in compact.replace(b"\\\"", b""), "compact output has no white space"
    assert pretty.endswith(b"}\n") or pretty.endswith(b"]\n"), "pretty output ends in a newline"
    value = json.loads(compact.decode("utf-8"))  # strict UTF-8: an invalid byte raises here
    assert json.loads(pretty.decode("utf-8")) == value
    return value


def text(b):
    return None if b is None else b.decode("utf-8", "replace")


def findings_from_getters(d):
    out = []
    for i in range(diag_count(d)):
        off = diag_offset(d, i)
        out.append({"severity": SEVERITIES[diag_severity(d, i)], "id": text(diag_id(d, i)),
                    "message": text(diag_message(d, i)), "offset": None if off == NO_OFFSET else off,
                    "path": text(diag_path(d, i)), "hint": text(diag_hint(d, i))})
    return out


RECORDS = [
    "v=TLSRPTv1; rua=mailto:tlsrpt@example.com",
    "v=TLSRPTv1;rua=mailto:a@example.com,https://reports.thirdparty.example/v1,http://old.example.com/r;x=\"q\\",
    "v=TLSRPTv1; rua=https://[2001:db8::1]/r,mailto:b@mail.example.com; rua=mailto:c@example.org",
    "v=TLSRPTv1; rua=" + ",".join("https://collector-%d.reports.example.net/v1/submit/example.com" % i
                                  for i in range(8)),
]
BROKEN = [
    "\"v=TLSRPTv1; rua=mailto:a@example.com\"", "v=TLSRPTv1; rua = mailto:a@example.com", "v=TLSRPTv1; rua=a@b.example",
    "_smtp._tls.example.com TXT v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1, rua=mailto:a@example.com",
    "\xe2\x80\x9cv=TLSRPTv1\xe2\x80\x9d", "v=TLSRPTv1; rua=http://r.example.com/x", "", "v=DMARC1; p=none",
]


class Findings(unittest.TestCase):
    def test_findings_of_records_and_lint(self):
        for rec in RECORDS + BROKEN:
            d, r = c_void_p(), c_void_p()
            diag_new(byref(d))
            raw = rec.encode("latin-1") if rec.startswith("\xe2") else rec.encode()
            if record_parse(byref(r), raw, len(raw), d) == OK:
                self.assertEqual(record_lint(r, b"example.com", d), OK)
            doc = both(diag_to_json, d)
            validate(doc, ref("findings"))
            self.assertEqual(doc, findings_from_getters(d), rec)
            self.assertEqual(bool(doc), rec != RECORDS[0], rec)  # the first record is clean, the others are not
            record_free(r)
            diag_free(d)
        rc, empty = take(diag_to_json, None, 0)
        self.assertEqual((rc, empty), (OK, b"[]"))
        self.assertEqual(take(diag_to_json, None, 2)[0], EINVAL)

    def test_hints_are_in_the_documents(self):
        d, r = c_void_p(), c_void_p()
        diag_new(byref(d))
        record_parse(byref(r), b"v=TLSRPTv1; rua=tlsrpt@example.com", 34, d)
        doc = both(diag_to_json, d)
        self.assertEqual([(f["id"], f["hint"]) for f in doc],
                         [("uri-no-scheme", 'Did you mean "mailto:tlsrpt@example.com"?')])
        diag_free(d)


class Records(unittest.TestCase):
    def test_records(self):
        for rec in RECORDS:
            r = c_void_p()
            self.assertEqual(record_parse(byref(r), rec.encode(), len(rec.encode()), None), OK, rec)
            for domain in (None, b"example.com"):
                doc = both(record_to_json, r, domain)
                validate(doc, ref("record"))
                rc, canonical = take(record_serialize, r)
                self.assertEqual(doc["value"], canonical.decode())
                self.assertEqual("".join(doc["strings"]), doc["value"])
                self.assertTrue(all(len(s) == 255 for s in doc["strings"][:-1]))
                strings, n = POINTER(c_char_p)(), c_size_t()
                self.assertEqual(record_to_strings(r, byref(strings), byref(n)), OK)
                self.assertEqual([strings[i].decode() for i in range(n.value)], doc["strings"])
                self.assertIsNone(strings[n.value])
                free(ctypes.cast(strings, c_void_p))
                self.assertEqual(len(doc["rua"]), record_rua_count(r))
                for i, dest in enumerate(doc["rua"]):
                    u = record_rua(r, i)
                    self.assertEqual((dest["uri"], dest["mailbox"], dest["host"]),
                                     (text(uri_string(u)), text(uri_mailbox(u)), text(uri_host(u))))
                    if domain is None or dest["scheme"] == "other":
                        self.assertEqual((dest["external"], dest["authorization_name"]), (None, None))
                    elif dest["external"]:
                        self.assertEqual(dest["authorization_name"], "example.com._report._tls.%s." % dest["host"])
            record_free(r)
        self.assertEqual([len(s) for s in both(record_to_json, self.parsed(RECORDS[3]), None)["strings"]],
                         [255, 255, 1])

    def parsed(self, rec):
        r = c_void_p()
        record_parse(byref(r), rec.encode(), len(rec), None)
        self.addCleanup(record_free, r)
        return r

    def test_errors(self):
        r = self.parsed(RECORDS[0])
        self.assertEqual(take(record_to_json, r, b"not a domain", 0)[0], EINVAL)
        self.assertEqual(take(record_to_json, r, None, 8)[0], EINVAL)
        self.assertEqual(take(record_to_json, None, None, 0)[0], EINVAL)


def ttl(value):
    return None if value == TTL_UNKNOWN else value


class LookupResults(unittest.TestCase):
    def facts_from_getters(self, l):
        answer = []
        qname = text(result_qname(l))
        n = result_cname_count(l)
        for i in range(n):
            answer.append({"name": qname if i == 0 else text(result_cname(l, i - 1)),
                           "ttl": ttl(result_cname_ttl(l, i)), "type": "CNAME", "target": text(result_cname(l, i))})
        owner = text(result_cname(l, n - 1)) if n else qname
        for i in range(result_txt_count(l)):
            strings = [ctypes.string_at(result_txt_string(l, i, j), result_txt_string_length(l, i, j))
                       .decode("utf-8", "replace") for j in range(result_txt_string_count(l, i))]
            answer.append({"name": owner, "ttl": ttl(result_txt_ttl(l, i)), "type": "TXT", "strings": strings})
        server = result_server(l)
        return answer, None if server is None else {"address": server.decode(), "port": result_server_port(l)}

    ANSWERS = {
        "valid.example": [[b"v=TLSRPTv1; rua=mailto:tls@", b"valid.example"], [b"v=spf1 -all"]],
        "two.example": [[b"v=TLSRPTv1; rua=mailto:a@two.example"], [b"v=TLSRPTv1; rua=mailto:b@two.example"]],
        "binary.example": [[b"v=TLSRPTv1; rua=mailto:a@binary.example\xff"], [b"bin\0ary \xc3\x28"]],
        "broken.example": [[b"v=TLSRPTv1; rua=a@broken.example"]],
        "http.example": [[b"v=TLSRPTv1; rua=http://r.http.example/x"]],
        "empty.example": [],
        "facts.example": [[b"v=TLSRPTv1;", b"rua=mailto:r@facts.example"], [b"other \xff"]],
    }

    def result(self, domain):
        def py_lookup(qname, answer, userdata):
            name = qname.decode()[len("_smtp._tls."):-1]
            if name == "tempfail.example":
                return ETEMPFAIL
            if name not in self.ANSWERS:
                return ENOTFOUND
            if name == "facts.example":  # the DNS facts: a CNAME chain, TTLs, the server
                txt_answer_add_cname(answer, b"_smtp._tls.provider.example", 300)
                txt_answer_add_cname(answer, b"tlsrpt.provider.example.", TTL_UNKNOWN)
                txt_answer_set_server(answer, b"192.0.2.53", 53)
            for k, rr in enumerate(self.ANSWERS[name]):
                strings = (c_char_p * len(rr))(*rr)
                lens = (c_size_t * len(rr))(*(len(s) for s in rr))
                if name == "facts.example":
                    txt_answer_add_with_ttl(answer, strings, lens, len(rr), 3600 + k)
                else:
                    txt_answer_add(answer, strings, lens, len(rr))
            return OK

        callback = TXT_LOOKUP_FN(py_lookup)
        res, l = c_void_p(), c_void_p()
        resolver_new(byref(res))
        resolver_set_lookup(res, callback, None)
        lookup(res, domain.encode(), byref(l))
        resolver_free(res)
        self.addCleanup(result_free, l)
        return l

    def test_every_outcome(self):
        want = {"valid.example": "valid", "two.example": "multiple", "binary.example": "syntax-error",
                "broken.example": "syntax-error", "http.example": "unusable", "empty.example": "not-found",
                "absent.example": "not-found", "tempfail.example": "temporary-failure", "facts.example": "valid"}
        for domain, status in want.items():
            l = self.result(domain)
            doc = both(result_to_json, l)
            validate(doc, ref("lookup_result"))
            self.assertEqual((doc["qname"], doc["status"]), ("_smtp._tls.%s." % domain, status))
            self.assertEqual(STATUSES[result_status(l)], status)
            self.assertEqual(doc["findings"], findings_from_getters(result_diag(l)))
            self.assertEqual(doc["record"] is not None, status == "valid")
            expected_txt = [b"".join(rr).decode("utf-8", "replace") for rr in self.ANSWERS.get(domain, [])]
            self.assertEqual(doc["txt"], expected_txt, domain)
            self.assertEqual((doc["answer"], doc["server"]), self.facts_from_getters(l), domain)
        doc = both(result_to_json, self.result("facts.example"))
        self.assertEqual([(rr["type"], rr["ttl"]) for rr in doc["answer"]],
                         [("CNAME", 300), ("CNAME", None), ("TXT", 3600), ("TXT", 3601)])
        self.assertEqual(doc["answer"][2]["strings"], ["v=TLSRPTv1;", "rua=mailto:r@facts.example"])
        self.assertEqual(doc["answer"][3]["strings"], ["other \ufffd"])
        self.assertEqual(doc["server"], {"address": "192.0.2.53", "port": 53})
        self.assertEqual(take(result_to_json, None, 0)[0], EINVAL)


txt_answer_new = declare("tlsrpt_txt_answer_new", c_int, PH)
txt_answer_free = declare("tlsrpt_txt_answer_free", None, H)
https_response_new = declare("tlsrpt_https_response_new", c_int, PH)
https_response_set_status = declare("tlsrpt_https_response_set_status", c_int, H, c_int, c_char_p)
https_response_append = declare("tlsrpt_https_response_append", c_int, H, c_char_p, c_size_t)
https_response_set_error = declare("tlsrpt_https_response_set_error", c_int, H, c_int, c_char_p)
https_response_free = declare("tlsrpt_https_response_free", None, H)
sts_evaluate = declare("tlsrpt_sts_evaluate", c_int, c_char_p, c_int, H, H, PH)
sts_result_diag = declare("tlsrpt_sts_lookup_result_diag", H, H)
sts_result_free = declare("tlsrpt_sts_lookup_result_free", None, H)
sts_result_to_json = declare("tlsrpt_sts_lookup_result_to_json", c_int, H, c_uint, PSTR, POINTER(c_size_t))

POLICY = b"version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.mx.example.com\nmax_age: 86400\nx_ext: 1\n"


class StsLookupResults(unittest.TestCase):
    """tlsrpt_sts_lookup_result_to_json on results of tlsrpt_sts_evaluate with answers and responses made here."""

    def evaluate(self, records, response):
        a, resp, r = c_void_p(), c_void_p(), c_void_p()
        self.assertEqual(txt_answer_new(byref(a)), OK)
        for rec in records:
            arr, lens = (c_char_p * 1)(rec), (c_size_t * 1)(len(rec))
            self.assertEqual(txt_answer_add(a, arr, lens, 1), OK)
        if response is not None:
            self.assertEqual(https_response_new(byref(resp)), OK)
            if response[0] == "error":
                self.assertEqual(https_response_set_error(resp, response[1], b"why"), OK)
            else:
                status, ctype, body = response
                self.assertEqual(https_response_set_status(resp, status, ctype), OK)
                self.assertEqual(https_response_append(resp, body, len(body)), OK)
        sts_evaluate(b"Example.COM", OK, a, resp if response is not None else None, byref(r))
        txt_answer_free(a)
        https_response_free(resp)
        self.addCleanup(sts_result_free, r)
        return r

    def test_every_stage(self):
        cases = [
            # records, response, status, result_type, outcome, has policy
            ([b"v=STSv1; id=1; ext=v"], (200, b"text/plain", POLICY), "valid", None, "ok", True),
            ([b"v=STSv1; id=1;"], (200, b"text/html", POLICY), "unusable", "sts-policy-invalid", "ok", True),
            ([b"v=STSv1; id=1;"], (404, None, b"gone"), "unusable", "sts-policy-fetch-error", "ok", False),
            ([b"v=STSv1; id=1;"], ("error", 5), "fetch-failed", "sts-webpki-invalid", "certificate", False),
            ([b"v=STSv1; id=1;"], ("error", 3), "fetch-failed", "sts-policy-fetch-error", "timeout", False),
            ([b"v=STSv1; id=1;"], (200, b"text/plain", b"mode: x\n"), "syntax-error", "sts-policy-invalid", "ok",
             False),
            ([b"v=STSv1; id=1;", b"v=STSv1; id=2;"], None, "multiple", None, "none", False),
            ([b"v=spf1 -all"], None, "not-found", None, "none", False),
            ([b"v=STSv1; id=1;"], None, "valid", None, "none", False),
        ]
        for records, response, status, rtype, outcome, has_policy in cases:
            r = self.evaluate(records, response)
            doc = both(sts_result_to_json, r)
            validate(doc, ref("sts_lookup_result"))
            self.assertEqual((doc["status"], doc["result_type"], doc["fetch"]["outcome"], doc["policy"] is not None),
                             (status, rtype, outcome, has_policy), records)
            self.assertEqual(doc["domain"], "example.com")
            self.assertEqual(doc["txt"]["records"], [x.decode() for x in records])
            self.assertEqual(doc["findings"], findings_from_getters(sts_result_diag(r)))
        doc = both(sts_result_to_json, self.evaluate([b"v=STSv1; id=1; ext=v"], (200, b"text/plain", POLICY)))
        self.assertEqual(doc["txt"]["record"], {"id": "1", "extensions": [{"name": "ext", "value": "v"}]})
        self.assertEqual(doc["policy"]["mx"], ["mail.example.com", "*.mx.example.com"])
        self.assertEqual(doc["policy"]["extensions"], [{"name": "x_ext", "value": "1"}])
        self.assertEqual(doc["fetch"]["http_status"], 200)
        self.assertEqual(doc["fetch"]["bytes"], len(POLICY))
        self.assertEqual(take(sts_result_to_json, None, 0)[0], EINVAL)


def main():
    result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    return 0 if result.wasSuccessful() and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())

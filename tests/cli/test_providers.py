#!/usr/bin/env python3
"""tlsrpt generate's provider formats, parsed back by each provider's documented schema, and the fix-it hints of
check and of DOMAIN arguments.

  route53     ChangeResourceRecordSets ChangeBatch: {"Comment", "Changes": [{"Action": "UPSERT",
              "ResourceRecordSet": {"Name", "Type", "TTL", "ResourceRecords": [{"Value"}]}}]}; a TXT Value is
              double-quoted strings of at most 255 characters separated by a space, '"' and '\\' escaped
  cloudflare  the DNS record body {"type", "name", "content", "ttl", "comment"}: name without the final dot, ttl 1 =
              automatic, content RFC 1035 quoted character-strings of at most 255 bytes
  nsupdate    an RFC 2136 script; nsupdate itself parses it (each "send" turned into "show", so nothing is sent)
              when its path is given, and a parser here checks every line in any case

usage: test_providers.py PATH-TO-tlsrpt [PATH-TO-nsupdate]   (python3 standard library only)
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

EXE = None
NSUPDATE = None

LONG_DESTS = ["https://tlsrpt-collector-%d.reports.example.net/v1/submit/example.com" % i for i in range(8)]
LONG_VALUE = "v=TLSRPTv1; rua=" + ",".join(LONG_DESTS)
SHORT_VALUE = "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,mailto:reports@thirdparty.example.net"
SHORT_ARGS = ["--rua", "tlsrpt@example.com", "--rua", "reports@thirdparty.example.net"]
AUTH_NAME = "example.com._report._tls.thirdparty.example.net."


def run(args, stdin=b""):
    p = subprocess.run([EXE] + args, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60,
                       env={k: v for k, v in os.environ.items() if k != "NO_COLOR"})
    return p.returncode, p.stdout.decode("utf-8", "surrogateescape"), p.stderr.decode("utf-8", "surrogateescape")


def generate(*args):
    rc, out, err = run(["generate"] + list(args))
    assert rc == 0, (rc, out, err)
    return out, err


def quoted_strings(text):
    """RFC 1035 <character-string>s in double quotes, separated by single spaces: the bytes of each, unescaped
    (\\X is X, \\DDD is a byte). Raises ValueError for anything else: a missing quote, a stray backslash, two spaces,
    a string over 255 bytes."""
    strings, i = [], 0
    while True:
        if i >= len(text) or text[i] != '"':
            raise ValueError("expected '\"' at %d in %r" % (i, text))
        i += 1
        s = bytearray()
        while True:
            if i >= len(text):
                raise ValueError("unterminated string in %r" % text)
            c = text[i]
            if c == '"':
                i += 1
                break
            if c == "\\":
                if re.match(r"\d{3}", text[i + 1:i + 4]):
                    value = int(text[i + 1:i + 4])
                    if value > 255:
                        raise ValueError("\\DDD over 255")
                    s.append(value)
                    i += 4
                elif i + 1 < len(text):
                    s += text[i + 1].encode()
                    i += 2
                else:
                    raise ValueError("backslash at the end")
                continue
            if ord(c) < 0x20 or ord(c) > 0x7e:
                raise ValueError("unescaped byte %r" % c)
            s += c.encode()
            i += 1
        if len(s) > 255:
            raise ValueError("a character-string of %d bytes" % len(s))
        strings.append(bytes(s))
        if i == len(text):
            return strings
        if text[i] != " " or text[i + 1:i + 2] != '"':
            raise ValueError("expected one space and the next string at %d in %r" % (i, text))
        i += 1


class QuotedStringParser(unittest.TestCase):
    """The parser the other tests rely on refuses what a provider would refuse."""

    def test_parser(self):
        self.assertEqual(quoted_strings('"a" "b\\"c\\\\d\\065"'), [b"a", b'b"c\\dA'])
        for bad in ['a', '"a', '"a"  "b"', '"a""b"', '"a" ', '"' + "x" * 256 + '"', '"\\256"', '"a\\']:
            with self.assertRaises(ValueError, msg=bad):
                quoted_strings(bad)


class Route53(unittest.TestCase):
    def batch(self, *args):
        out, err = generate("--format", "route53", *args)
        self.assertEqual(out.count("\n"), 1)
        return json.loads(out), err

    def check_batch(self, doc, name, ttl, value):
        self.assertEqual(set(doc), {"Comment", "Changes"})
        self.assertIsInstance(doc["Comment"], str)
        self.assertEqual(len(doc["Changes"]), 1)
        change = doc["Changes"][0]
        self.assertEqual(set(change), {"Action", "ResourceRecordSet"})
        self.assertEqual(change["Action"], "UPSERT")
        rrset = change["ResourceRecordSet"]
        self.assertEqual(set(rrset), {"Name", "Type", "TTL", "ResourceRecords"})
        self.assertEqual((rrset["Name"], rrset["Type"], rrset["TTL"]), (name, "TXT", ttl))
        self.assertIsInstance(rrset["TTL"], int)
        self.assertEqual(len(rrset["ResourceRecords"]), 1)
        self.assertEqual(set(rrset["ResourceRecords"][0]), {"Value"})
        strings = quoted_strings(rrset["ResourceRecords"][0]["Value"])
        self.assertEqual(b"".join(strings).decode(), value)
        self.assertTrue(len(rrset["ResourceRecords"][0]["Value"]) <= 4000)  # the API's limit on one Value
        return strings

    def test_short_record_and_authorization_note(self):
        doc, err = self.batch("--domain", "example.com", *SHORT_ARGS)
        self.check_batch(doc, "_smtp._tls.example.com.", 3600, SHORT_VALUE)
        self.assertEqual(doc["Comment"], "TLSRPT record of example.com")
        # The authorization record lives in another party's zone: not in this batch, named on stderr.
        self.assertEqual(err, 'tlsrpt generate: note: in the zone of its owner: %s TXT "v=TLSRPTv1"\n' % AUTH_NAME)

    def test_long_record_is_split(self):
        args = ["--domain", "example.com", "--ttl", "300"]
        for d in LONG_DESTS:
            args += ["--rua", d]
        doc, err = self.batch(*args)
        strings = self.check_batch(doc, "_smtp._tls.example.com.", 300, LONG_VALUE)
        self.assertEqual([len(s) for s in strings], [255, 255, 57])
        # eight external hosts: eight authorization records, each named once on stderr
        self.assertEqual(err.splitlines(),
                         ['tlsrpt generate: note: in the zone of its owner: example.com._report._tls.'
                          'tlsrpt-collector-%d.reports.example.net. TXT "v=TLSRPTv1"' % i for i in range(8)])

    def test_idn_and_subdomain(self):
        doc, err = self.batch("--domain", "mail.b\u00fccher.example", "--rua", "a@xn--bcher-kva.example")
        self.check_batch(doc, "_smtp._tls.mail.xn--bcher-kva.example.", 3600,
                         "v=TLSRPTv1; rua=mailto:a@xn--bcher-kva.example")
        self.assertEqual(err, "")


class Cloudflare(unittest.TestCase):
    def body(self, *args):
        out, err = generate("--format", "cloudflare", *args)
        doc = json.loads(out)
        self.assertEqual(set(doc), {"type", "name", "content", "ttl", "comment"})
        self.assertEqual(doc["type"], "TXT")
        self.assertIsInstance(doc["ttl"], int)
        return doc, err

    def test_defaults(self):
        doc, err = self.body("--domain", "example.com", *SHORT_ARGS)
        self.assertEqual((doc["name"], doc["ttl"]), ("_smtp._tls.example.com", 1))
        self.assertEqual(quoted_strings(doc["content"]), [SHORT_VALUE.encode()])
        self.assertEqual(doc["comment"], "TLSRPT record of example.com")
        self.assertEqual(err, 'tlsrpt generate: note: in the zone of its owner: %s TXT "v=TLSRPTv1"\n' % AUTH_NAME)

    def test_ttl_range(self):
        for ttl, want in [("1", 1), ("30", 30), ("300", 300), ("86400", 86400)]:
            doc, _ = self.body("--domain", "example.com", "--rua", "a@example.com", "--ttl", ttl)
            self.assertEqual(doc["ttl"], want)
        for ttl in ["0", "2", "29", "86401"]:
            self.assertEqual(run(["generate", "--format", "cloudflare", "--domain", "example.com", "--rua",
                                  "a@example.com", "--ttl", ttl]),
                             (2, "", "tlsrpt generate: invalid TTL for Cloudflare (1, automatic, or 30 to 86400"
                                     " seconds): '%s'\nTry 'tlsrpt generate --help'.\n" % ttl))

    def test_long_content(self):
        args = ["--domain", "example.com"]
        for d in LONG_DESTS:
            args += ["--rua", d]
        doc, _ = self.body(*args)
        strings = quoted_strings(doc["content"])
        self.assertEqual(([len(s) for s in strings], b"".join(strings).decode()), ([255, 255, 57], LONG_VALUE))


NSUPDATE_SHORT = """\
; nsupdate script (RFC 2136) written by tlsrpt generate; run: nsupdate [-k KEYFILE] FILE
; TLSRPT record of example.com: replaces every TXT record at the name
update delete _smtp._tls.example.com. TXT
update add _smtp._tls.example.com. 3600 IN TXT "%s"
send
; Authorization record for reports to thirdparty.example.net, in that party's zone (not this script's):
; update add %s 3600 IN TXT "v=TLSRPTv1"
""" % (SHORT_VALUE, AUTH_NAME)


def parse_nsupdate(script):
    """Every line is a comment, "zone NAME.", "update delete NAME. TXT", "update add NAME. TTL IN TXT STRINGS" or
    "send"; returns the records added as (name, ttl, [strings])."""
    added = []
    for line in script.splitlines():
        if line.startswith(";") or line == "send" or re.fullmatch(r"zone [a-z0-9._-]+\.", line) or \
                re.fullmatch(r"update delete [a-z0-9._-]+\. TXT", line):
            continue
        m = re.fullmatch(r"update add ([a-z0-9._-]+\.) (\d+) IN TXT (.*)", line)
        if not m:
            raise ValueError("not an nsupdate line: %r" % line)
        added.append((m.group(1), int(m.group(2)), quoted_strings(m.group(3))))
    return added


class Nsupdate(unittest.TestCase):
    def test_script(self):
        out, err = generate("--format", "nsupdate", "--domain", "example.com", *SHORT_ARGS)
        self.assertEqual((out, err), (NSUPDATE_SHORT, ""))
        self.assertEqual(parse_nsupdate(out), [("_smtp._tls.example.com.", 3600, [SHORT_VALUE.encode()])])

    def test_zone_option_and_long_record(self):
        args = ["--format", "nsupdate", "--domain", "mail.example.com", "--zone", "example.com", "--ttl", "60"]
        for d in LONG_DESTS:
            args += ["--rua", d]
        out, _ = generate(*args)
        self.assertIn("\nzone example.com.\n", out)
        added = parse_nsupdate(out)
        self.assertEqual(len(added), 1)
        self.assertEqual((added[0][0], added[0][1]), ("_smtp._tls.mail.example.com.", 60))
        self.assertEqual(b"".join(added[0][2]).decode(), LONG_VALUE)
        self.assertEqual([len(s) for s in added[0][2]], [255, 255, 57])
        if NSUPDATE:
            self.nsupdate_parses(out, "_smtp._tls.mail.example.com.", 60, added[0][2])

    def test_nsupdate_itself_parses_the_script(self):
        if not NSUPDATE:
            self.skipTest("nsupdate not found (bind9-dnsutils); CI requires it")
        out, _ = generate("--format", "nsupdate", "--domain", "example.com", *SHORT_ARGS)
        self.nsupdate_parses(out, "_smtp._tls.example.com.", 3600, [SHORT_VALUE.encode()])

    def nsupdate_parses(self, script, name, ttl, strings):
        # "show" prints the update message nsupdate built, and nothing is sent (no "send" is left, and the server
        # named is a closed local port in case it were).
        dry = "server 127.0.0.1 9\n" + script.replace("\nsend\n", "\nshow\n")
        with tempfile.NamedTemporaryFile("w", suffix=".nsupdate", delete=False) as f:
            f.write(dry)
        try:
            p = subprocess.run([NSUPDATE, "-t", "1", f.name], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=30)
        finally:
            os.unlink(f.name)
        out, err = p.stdout.decode(), p.stderr.decode()
        self.assertEqual((p.returncode, err), (0, ""), out)
        rrs = re.findall(r"^(\S+)\s+(\d+)\s+IN\s+TXT\s+(.*)$", out, re.M)
        self.assertEqual(len(rrs), 1, out)
        self.assertEqual((rrs[0][0], int(rrs[0][1])), (name, ttl))
        self.assertEqual(quoted_strings(rrs[0][2]), strings)
        self.assertRegex(out, r"\n" + re.escape(name) + r"\s+0\s+ANY\s+TXT\s*\n")  # the delete of the old TXT


FORMS = {
    "cloudflare": """\
TLSRPT record of example.com:
  Cloudflare: DNS > Records > Add record
  Type:         TXT
  Name:         _smtp._tls   (the form adds .example.com)
  TTL:          Auto
  Content:      "%s"
""" % SHORT_VALUE,
    "route53": """\
TLSRPT record of example.com:
  Amazon Route 53: Hosted zones > (the zone) > Create record
  Record name:  _smtp._tls   (the form adds .example.com)
  Record type:  TXT
  Value:        "%s"
  TTL (seconds): 3600
""" % SHORT_VALUE,
    "registro.br": """\
TLSRPT record of example.com:
  Registro.br: Editar zona > Modo avan\u00e7ado > Nova entrada
  Entrada:      _smtp._tls   (the form adds .example.com)
  Tipo:         TXT
  Texto:        %s
""" % SHORT_VALUE,
    "generic": """\
TLSRPT record of example.com:
  Any provider's form (Host or Name, Type, TTL, Value):
  Host/Name:    _smtp._tls   (the form adds .example.com)
  Type:         TXT
  TTL:          3600
  Value:        %s
  (type the value without quotes unless the form asks for them; some forms want the full name
   _smtp._tls.example.com as Host)
""" % SHORT_VALUE,
}
LINT_EXTERNAL = (
    "info: Destination 2 (mailto:reports@thirdparty.example.net) is outside the organizational domain of example.com;"
    " receivers that verify external destinations expect the TXT record"
    ' example.com._report._tls.thirdparty.example.net "v=TLSRPTv1". [lint-rua-external]\n'
    "hint: Ask the owner of thirdparty.example.net to publish TXT example.com._report._tls.thirdparty.example.net."
    ' "v=TLSRPTv1" in its zone, or use a destination in example.com.\n')


class Forms(unittest.TestCase):
    def test_each_provider(self):
        for provider, block in FORMS.items():
            out, err = generate("--provider", provider, "--domain", "example.com", *SHORT_ARGS)
            self.assertEqual(err, "")
            self.assertTrue(out.startswith(block + "\nAuthorization record for reports to thirdparty.example.net:\n"),
                            out)
            self.assertTrue(out.endswith("\n" + LINT_EXTERNAL), out)
            self.assertIn(AUTH_NAME[:-1] + "   (in the zone that holds this name; if the form adds the zone's name,"
                          " leave that part out)\n", out)

    def test_relative_names_and_ttl(self):
        out, _ = generate("--provider", "cloudflare", "--domain", "mail.example.com", "--zone", "example.com",
                          "--ttl", "300", "--rua", "a@example.com")
        self.assertIn("  Name:         _smtp._tls.mail   (the form adds .example.com)\n  TTL:          300\n", out)
        out, _ = generate("--provider", "generic", "--domain", "Example.COM.", "--rua", "a@example.com")
        self.assertIn("  Host/Name:    _smtp._tls   (the form adds .example.com)\n", out)

    def test_long_value_in_forms(self):
        args = ["--domain", "example.com"]
        for d in LONG_DESTS:
            args += ["--rua", d]
        out, _ = generate("--provider", "generic", *args)
        self.assertIn("  Value:        " + LONG_VALUE + "\n", out)
        split = re.search(r"split as\n   (.*)\)\n", out).group(1)
        self.assertEqual(b"".join(quoted_strings(split)).decode(), LONG_VALUE)
        out, _ = generate("--provider", "route53", *args)
        value = re.search(r"  Value:        (.*)\n", out).group(1)
        self.assertEqual([len(s) for s in quoted_strings(value)], [255, 255, 57])


class UsageErrors(unittest.TestCase):
    def test_combinations(self):
        tail = "\nTry 'tlsrpt generate --help'.\n"
        cases = [
            (["--format", "route53"], "--format route53 needs --domain"),
            (["--format", "cloudflare"], "--format cloudflare needs --domain"),
            (["--format", "nsupdate"], "--format nsupdate needs --domain"),
            (["--provider", "generic"], "--provider needs --domain"),
            (["--provider", "godaddy", "--domain", "example.com"],
             "unknown provider (cloudflare, route53, registro.br or generic): 'godaddy'"),
            (["--provider", "generic", "--format", "zone", "--domain", "example.com"],
             "--provider and --format cannot be combined"),
            (["--zone", "example.com"], "--zone needs --domain"),
            (["--domain", "example.com", "--zone", "example.org", "--format", "nsupdate"],
             "DOMAIN is not in ZONE (or ZONE is not a domain name): 'example.org'"),
            (["--domain", "example.com", "--zone", "exa mple.com", "--format", "nsupdate"],
             "DOMAIN is not in ZONE (or ZONE is not a domain name): 'exa mple.com'"),
        ]
        for args, problem in cases:
            self.assertEqual(run(["generate", "--rua", "a@example.com"] + args),
                             (2, "", "tlsrpt generate: " + problem + tail), args)


class DomainMistakes(unittest.TestCase):
    """A record name, an e-mail address or a URL given as DOMAIN: the library's reason (tlsrpt_domain_check), then
    a hint line with the domain it most likely meant."""
    CASES = [
        ("_smtp._tls.example.com", "it is the name of a DNS record; give the domain after the service labels",
         "domain-record-name", "example.com"),
        ("_SMTP._TLS.example.com.", "it is the name of a DNS record; give the domain after the service labels",
         "domain-record-name", "example.com"),
        ("_mta-sts.mail.example.com", "it is the name of a DNS record; give the domain after the service labels",
         "domain-record-name", "mail.example.com"),
        ("postmaster@example.com", "it is an e-mail address; give only the part after the '@'",
         "domain-email-address", "example.com"),
        ("mailto:tlsrpt@mail.example.com", "it is a URL; give only its host", "domain-url", "mail.example.com"),
        ("https://www.example.com/", "it is a URL; give only its host", "domain-url", "www.example.com"),
        ("https://user@example.com:8443/x", "it is a URL; give only its host", "domain-url", "example.com"),
    ]

    def test_every_command(self):
        for command, args in [("generate", ["--rua", "a@example.com", "--domain"]), ("check", ["--domain"]),
                              ("lookup", ["--server", "127.0.0.1:9"])]:
            for given, reason, finding_id, meant in self.CASES:
                argv = [command] + args + [given] + (["v=TLSRPTv1; rua=mailto:a@example.com"]
                                                     if command == "check" else [])
                self.assertEqual(run(argv), (2, "", "tlsrpt %s: not a domain name: '%s'\n"
                                                    'error: "%s" is not a domain name: %s. [%s]\n'
                                                    "hint: did you mean '%s'?\n"
                                                    "Try 'tlsrpt %s --help'.\n"
                                             % (command, given, given, reason, finding_id, meant, command)), argv)

    def test_a_plain_bad_domain_has_no_hint(self):
        rc, out, err = run(["generate", "--rua", "a@example.com", "--domain", "exa mple.com"])
        self.assertEqual((rc, out), (2, ""))
        self.assertTrue(err.startswith("tlsrpt generate: not a domain name: 'exa mple.com'\nerror: "), err)
        self.assertNotIn("hint:", err)


class CheckHints(unittest.TestCase):
    """What checker users paste, and the hint line tlsrpt check prints for it (doc/diagnostics.md)."""
    CASES = [
        ('"v=TLSRPTv1; rua=mailto:a@example.com"', "record-version-missing",
         "Remove the quotes around the record: they are zone-file syntax, not part of the value."),
        ("\u201cv=TLSRPTv1; rua=mailto:a@example.com\u201d", "record-version-missing",
         "Remove the typographic (curly) quotes that a word processor or web page added; the value has no quotes."),
        ('_smtp._tls.example.com. 3600 IN TXT "v=TLSRPTv1; rua=mailto:a@example.com"', "record-version-missing",
         "Only the value goes in the TXT record: remove everything before v=TLSRPTv1 (and any closing quote); the"
         " name _smtp._tls goes in the Name (Host) field."),
        ("v=TLSRPTv1; rua=a@example.com", "uri-no-scheme", 'Did you mean "mailto:a@example.com"?'),
        ("v=TLSRPTv1; rua=reports.example.com/tlsrpt", "uri-no-scheme",
         'Did you mean "https://reports.example.com/tlsrpt"?'),
        ("v=TLSRPTv1; rua = mailto:a@example.com", "record-field-space",
         "Remove the whitespace: write rua= with nothing around '='."),
        ("v=TLSRPTv1, rua=mailto:a@example.com", "record-version-invalid",
         "Separate fields with ';', not ',': v=TLSRPTv1; rua=..."),
        ("v=TLSRPTv1 rua=mailto:a@example.com", "record-delimiter-expected",
         "Put ';' after the version: v=TLSRPTv1; rua=..."),
        ("v=TLSRPTv1; rua=mailto:a@example.com; mailto:b@example.com", "record-ext-name-invalid",
         "Separate destinations with ',' inside one rua= field, not with ';': "
         "rua=mailto:a@example.com,mailto:b@example.com."),
        ("v=TLSRPTv1\\; rua=mailto:a@example.com", "record-version-invalid",
         "Remove the backslash before ';': \\; is how dig and zone files escape ';', not part of the record."),
        ("v=DMARC1; p=none; rua=mailto:d@example.com", "record-version-invalid",
         "This is a DMARC record (published at _dmarc); a TLSRPT record begins v=TLSRPTv1; and is published at"
         " _smtp._tls."),
    ]

    def test_hint_lines(self):
        for record, finding_id, hint in self.CASES:
            rc, out, err = run(["check", record])
            self.assertEqual((rc, err), (1, ""), record)
            lines = out.splitlines()
            finding = [i for i, l in enumerate(lines) if l.startswith("error:")]
            self.assertEqual(len(finding), 1, out)
            self.assertTrue(lines[finding[0]].endswith("[%s]" % finding_id), out)
            self.assertIn("hint: " + hint, lines, out)
            rc, out, err = run(["check", "--json", record])
            doc = json.loads(out)
            self.assertEqual([(f["id"], f["hint"]) for f in doc["findings"] if f["severity"] == "error"],
                             [(finding_id, hint)])

    def test_second_record_pasted_after_the_first(self):
        rc, out, err = run(["check", "v=TLSRPTv1; rua=mailto:a@example.com; v=TLSRPTv1; rua=mailto:b@example.com"])
        self.assertEqual(rc, 0)
        self.assertIn("hint: Publish one record: put every destination in its one rua= field, separated by ','.\n",
                      out)

    def test_http_destination(self):
        rc, out, err = run(["check", "v=TLSRPTv1; rua=http://reports.example.com/tlsrpt"])
        self.assertEqual(rc, 1)
        self.assertIn('hint: Did you mean "https://reports.example.com/tlsrpt"? Reporters deliver only to mailto:'
                      " and https:.\n", out)


def main():
    global EXE, NSUPDATE
    if len(sys.argv) not in (2, 3):
        sys.stderr.write("usage: test_providers.py PATH-TO-tlsrpt [PATH-TO-nsupdate]\n")
        return 2
    EXE = os.path.abspath(sys.argv[1])
    NSUPDATE = sys.argv[2] if len(sys.argv) == 3 and sys.argv[2] else None
    result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    return 0 if result.wasSuccessful() and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())

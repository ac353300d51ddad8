#!/usr/bin/env node
// FFI test: Node.js with koffi drives libtlsrpt.so.1 through its public C API, as a JavaScript binding would.
// SPDX-License-Identifier: MIT
//
// usage: node test_koffi.js PATH/TO/libtlsrpt.so.1 INCLUDE-DIR   (meson passes the built library and include/)
//
// Every prototype is taken from the installed headers themselves (include/tlsrpt/*.h, each "TLSRPT_API ...;"
// declaration) and handed to koffi's C parser: the headers are what a binding generator reads (koffi refused the
// bare "unsigned" of 1.0's headers). Out-parameters get koffi's _Out_ by the API's one rule (doc/bindings.md): a
// non-const "T **" or a pointer to a scalar is an out-parameter, and a new string ("char **out") is taken as a
// pointer, copied, and released with tlsrpt_free. Covered: record parse and diagnostics, a lookup whose TXT answers
// come from a JS callback (tlsrpt_resolver_set_lookup), a report walked getter by getter with its 64-bit counts, a
// report built and serialized, the TLS mapping and an outcome event.
//
// koffi is installed into tests/ffi/node_modules by tests/ffi/install-koffi.sh (.ci/deps runs it). Missing, the
// test fails, unless that script recorded that npm could not install it: then it skips (exit 77) and says why.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');

const [libPath, includeDir] = process.argv.slice(2);
if (!libPath || !includeDir) {
    console.error('usage: test_koffi.js LIBTLSRPT INCLUDE-DIR');
    process.exit(2);
}

let koffi;
try {
    koffi = require('koffi');
} catch (e) {
    const marker = path.join(__dirname, '.koffi-unavailable');
    if (fs.existsSync(marker)) {
        console.log('SKIP: koffi could not be installed here (tests/ffi/install-koffi.sh):');
        console.log(fs.readFileSync(marker, 'utf8'));
        process.exit(77);
    }
    console.log('FAIL: koffi is not installed: run tests/ffi/install-koffi.sh (.ci/deps does). ' + e.message);
    process.exit(1);
}

// ---- the headers --------------------------------------------------------------------------------------------------
const headerDir = path.join(includeDir, 'tlsrpt');
let text = '';
for (const f of fs.readdirSync(headerDir).filter((f) => f.endsWith('.h')).sort())
    text += fs.readFileSync(path.join(headerDir, f), 'utf8') + '\n';
text = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, ' ');
text = text.replace(/^\s*#.*$/gm, ' '); // preprocessor lines (the TLSRPT_API definition itself)

for (const m of text.matchAll(/typedef\s+struct\s+(\w+)\s+\1\s*;/g))
    koffi.opaque(m[1]);
// The callback types: typedef int (*tlsrpt_txt_lookup_fn)(...); and the others alike.
const callbacks = {};
for (const cb of text.matchAll(/typedef\s+([\w ]+?)\s*\(\s*\*\s*(\w+)\s*\)\s*\(([^)]*)\)\s*;/g)) {
    callbacks[cb[2]] = koffi.proto(`${cb[1]} ${cb[2]}_proto(${cb[3].replace(/\s+/g, ' ')})`);
    koffi.alias(cb[2], koffi.pointer(callbacks[cb[2]]));
}
const LookupProto = callbacks.tlsrpt_txt_lookup_fn;
assert.ok(LookupProto, 'the lookup callback typedef is in the headers');

const prototypes = [...text.matchAll(/TLSRPT_API\s+([^;]+);/g)].map((m) => m[1].replace(/\s+/g, ' ').trim());

// The binding's rule for out-parameters.
const SCALARS = new Set(['int', 'size_t', 'int64_t', 'uint64_t', 'uint32_t', 'uint16_t', 'long', 'unsigned int']);
function annotate(proto) {
    const open = proto.indexOf('(');
    const head = proto.slice(0, open), params = proto.slice(open + 1, proto.lastIndexOf(')'));
    if (params.trim() === 'void')
        return proto;
    const out = params.split(',').map((p) => {
        p = p.trim();
        const m = p.match(/^(.*?)(\*+)\s*(\w+)$/);
        if (!m)
            return p;
        const base = m[1].trim(), stars = m[2], name = m[3];
        if (base.startsWith('const') && stars === '*')
            return p; // input: const T *
        if (stars === '**' && !/\bconst\b\s*$/.test(base) && !base.startsWith('const char') &&
            !/\*\s*const/.test(p)) {
            if (base === 'char' || base === 'void')
                return `_Out_ void **${name}`; // a new string or buffer: keep the address for tlsrpt_free
            return `_Out_ ${base} **${name}`;  // a new or borrowed handle
        }
        if (stars === '**' && base === 'const char')
            return `_Out_ const char **${name}`; // a static string
        if (stars === '*' && SCALARS.has(base))
            return `_Out_ ${base} *${name}`;
        return p;
    });
    return `${head}(${out.join(', ')})`;
}

const lib = koffi.load(libPath);
const api = {};
let raw = 0;
for (const proto of prototypes) {
    lib.func(proto); // as written in the header: must parse
    raw++;
    const name = proto.match(/(\w+)\s*\(/)[1];
    api[name.replace(/^tlsrpt_/, '')] = lib.func(annotate(proto));
}

let passed = 0, failed = 0;
function test(name, fn) {
    try {
        fn();
        passed++;
        console.log(`ok ${passed + failed} - ${name}`);
    } catch (e) {
        failed++;
        console.log(`not ok ${passed + failed} - ${name}`);
        console.log('# ' + String(e.stack).split('\n').join('\n# '));
    }
}

const OK = 0, EINVAL = -2, ESYNTAX = -3, ESEMANTIC = -4, ENOTFOUND = -6, ETEMPFAIL = -8;

// Counts are uint64_t: koffi gives a Number up to 2^53 - 1 and a BigInt above. A binding normalizes to one type.
const u64 = (v) => BigInt(v);

function takeString(ptr, len) {
    // a new "char **out" string: copy it, then release the library's copy
    try {
        return koffi.decode(ptr, 'char', Number(len));
    } finally {
        api.free(ptr);
    }
}

function withDiag(fn) {
    const out = [null];
    assert.strictEqual(api.diag_new(out), OK);
    try {
        return fn(out[0]);
    } finally {
        api.diag_free(out[0]);
    }
}

function diags(d) {
    const list = [];
    for (let i = 0; i < api.diag_count(d); i++)
        list.push([api.diag_id(d, i), api.diag_severity(d, i), Number(api.diag_offset(d, i)), api.diag_path(d, i)]);
    return list;
}

test('every TLSRPT_API prototype of the headers parses in koffi, and the library has each', () => {
    const map = fs.readFileSync(path.join(__dirname, '..', '..', 'lib', 'libtlsrpt.map'), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '');
    const exported = new Set([...map.matchAll(/\b(tlsrpt_\w+)\s*;/g)].map((m) => m[1]));
    assert.strictEqual(raw, prototypes.length);
    assert.strictEqual(Object.keys(api).length, exported.size);
    for (const name of exported)
        assert.ok(api[name.replace(/^tlsrpt_/, '')], name);
    assert.ok(!prototypes.some((p) => /\bunsigned\s+(?!int\b)/.test(p)), 'bare unsigned in a prototype');
});

test('status names and strings', () => {
    assert.strictEqual(api.status_name(ESYNTAX), 'TLSRPT_ESYNTAX');
    assert.strictEqual(api.status_name(OK), 'TLSRPT_OK');
    assert.strictEqual(api.status_name(-9), 'TLSRPT_EUNSUPPORTED');
    assert.strictEqual(api.status_name(-10), null);
    assert.strictEqual(api.status_string(ETEMPFAIL), 'Temporary DNS failure; try again later.');
    const v = api.version_string().split('.').map(Number);
    assert.strictEqual(api.version_number(), v[0] * 10000 + v[1] * 100 + v[2]);
});

test('record: parse from a Buffer with its length, diagnostics, borrowed URIs, serialize', () => {
    const text = Buffer.from('v=TLSRPTv1 ;rua=mailto:tlsrpt@example.com,https://r.example.net/x;ext=1');
    const rec = [null];
    withDiag((d) => {
        assert.strictEqual(api.record_parse(rec, text, text.length, d), OK);
        assert.deepStrictEqual(diags(d), [['record-space-before-semicolon', 1, 10, ''],
            ['record-extension-unknown', 0, 66, '']]);
    });
    try {
        assert.strictEqual(Number(api.record_rua_count(rec[0])), 2);
        const u0 = api.record_rua(rec[0], 0); // borrowed from the record
        assert.strictEqual(api.uri_mailbox(u0), 'tlsrpt@example.com');
        assert.strictEqual(api.record_rua(rec[0], 2), null);
        const out = [null], len = [0];
        assert.strictEqual(api.record_serialize(rec[0], out, len), OK);
        assert.strictEqual(takeString(out[0], len[0]),
            'v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://r.example.net/x; ext=1');
    } finally {
        api.record_free(rec[0]);
    }
    // an embedded NUL is part of the input; *out is NULL on failure
    const nul = Buffer.from('v=TLSRPTv1;rua=mailto:a@example.com\0;x=y');
    const bad = [null];
    withDiag((d) => {
        assert.strictEqual(api.record_parse(bad, nul, nul.length, d), ESYNTAX);
        assert.strictEqual(bad[0], null);
        assert.deepStrictEqual(diags(d), [['record-nul', 2, 35, '']]);
    });
});

test('lookup: TXT answers from a JavaScript callback', () => {
    const zone = {
        '_smtp._tls.example.com.': [['v=TLSRPTv1;', 'rua=mailto:tlsrpt@example.com'], ['google-site-verification=x']],
        '_smtp._tls.servfail.example.': ETEMPFAIL,
        '_smtp._tls.throws.example.': 'throw',
    };
    const asked = [];
    const lookupFn = (qname, answer, userdata) => {
        // Never let an exception unwind into C: a binding's trampoline catches everything (doc/bindings.md).
        try {
            asked.push(qname);
            const rrs = zone[qname];
            if (rrs === undefined)
                return ENOTFOUND;
            if (rrs === 'throw')
                throw new Error('the host resolver failed');
            if (typeof rrs === 'number')
                return rrs;
            for (const strings of rrs) {
                const bufs = strings.map((s) => Buffer.from(s));
                if (api.txt_answer_add(answer, bufs, bufs.map((b) => b.length), bufs.length) !== OK)
                    return ETEMPFAIL;
            }
            api.txt_answer_set_authenticated(answer, 1);
            return OK;
        } catch (e) {
            return ETEMPFAIL;
        }
    };
    const registered = koffi.register(lookupFn, koffi.pointer(LookupProto)); // alive until unregistered
    const res = [null];
    assert.strictEqual(api.resolver_new(res), OK);
    try {
        assert.strictEqual(api.resolver_set_lookup(res[0], registered, null), OK);
        const expect = {'EXAMPLE.com': OK, 'servfail.example': ETEMPFAIL, 'throws.example': ETEMPFAIL,
            'absent.example': ENOTFOUND};
        for (const [domain, status] of Object.entries(expect)) {
            const result = [null];
            assert.strictEqual(api.lookup(res[0], domain, result), status, domain);
            try {
                assert.strictEqual(api.lookup_result_status(result[0]), status);
                if (status === OK) {
                    assert.strictEqual(api.lookup_result_qname(result[0]), '_smtp._tls.example.com.');
                    assert.strictEqual(Number(api.lookup_result_txt_count(result[0])), 2);
                    assert.strictEqual(api.lookup_result_authenticated(result[0]), 1);
                    const rec = api.lookup_result_record(result[0]);
                    assert.strictEqual(api.uri_mailbox(api.record_rua(rec, 0)), 'tlsrpt@example.com');
                    assert.deepStrictEqual(diags(api.lookup_result_diag(result[0])).map((x) => x[0]),
                        ['dns-txt-not-tlsrpt']);
                } else {
                    assert.strictEqual(api.lookup_result_record(result[0]), null);
                }
            } finally {
                api.lookup_result_free(result[0]);
            }
        }
        assert.deepStrictEqual(asked, ['_smtp._tls.example.com.', '_smtp._tls.servfail.example.',
            '_smtp._tls.throws.example.', '_smtp._tls.absent.example.']);
    } finally {
        api.resolver_free(res[0]);
        koffi.unregister(registered); // only after the resolver that holds it is gone
    }
});

const REPORT = Buffer.from(JSON.stringify({
    'organization-name': 'Sender', 'date-range': {'start-datetime': '2024-07-01T00:00:00Z',
        'end-datetime': '2024-07-01T23:59:59Z'}, 'contact-info': 'tlsrpt@sender.example', 'report-id': 'r-1',
    policies: [{policy: {'policy-type': 'sts', 'policy-string': ['version: STSv1', 'mode: enforce'],
        'policy-domain': 'example.com', 'mx-host': ['mx.example.com']},
    summary: {'total-successful-session-count': 0, 'total-failure-session-count': 12},
    'failure-details': [{'result-type': 'certificate-expired', 'sending-mta-ip': '192.0.2.1',
        'receiving-mx-hostname': 'mx.example.com', 'failed-session-count': 12}]}],
}).replace('"total-successful-session-count":0', '"total-successful-session-count":18446744073709551615'));

test('report walk: every getter; uint64 counts as Number or BigInt', () => {
    const rep = [null];
    withDiag((d) => assert.strictEqual(api.report_parse(rep, REPORT, REPORT.length, 0, d), OK));
    try {
        assert.strictEqual(api.report_organization_name(rep[0]), 'Sender');
        assert.strictEqual(api.report_start_time(rep[0]), 1719792000); // int64_t: a Number while it is safe
        const p = api.report_policy(rep[0], 0);
        assert.strictEqual(api.policy_type(p), 1);
        assert.strictEqual(api.policy_domain(p), 'example.com');
        const strings = [];
        for (let i = 0; i < api.policy_string_count(p); i++)
            strings.push(api.policy_string(p, i));
        assert.deepStrictEqual(strings, ['version: STSv1', 'mode: enforce']);
        const ok = api.policy_successful_sessions(p), failed = api.policy_failed_sessions(p);
        assert.strictEqual(typeof ok, 'bigint'); // 2^64 - 1: above Number.MAX_SAFE_INTEGER
        assert.strictEqual(ok, 18446744073709551615n);
        assert.strictEqual(typeof failed, 'number'); // 12: a Number
        assert.strictEqual(u64(failed) + u64(ok), 18446744073709551627n);
        const f = api.policy_failure(p, 0);
        assert.strictEqual(api.failure_result_type(f), 'certificate-expired');
        assert.strictEqual(api.failure_result_code(f), 3);
        assert.strictEqual(api.failure_receiving_ip(f), null);
        assert.strictEqual(u64(api.failure_session_count(f)), 12n);
        assert.ok(api.result_type_description('certificate-expired').length > 20);
    } finally {
        api.report_free(rep[0]);
    }
});

test('report build: policy, BigInt counts in, failures from the TLS mapping, serialize, outcome event', () => {
    const rep = [null];
    assert.strictEqual(api.report_new(rep, 'Example Mail', 'tlsrpt@mail.example', 'r-2', 1719792000, 1719878399),
        OK);
    try {
        const policy = [null];
        assert.strictEqual(api.report_add_policy(rep[0], 1, 'Example.COM', ['version: STSv1', 'mode: enforce'], 2,
            ['mx.example.com'], 1, policy), OK);
        assert.strictEqual(api.policy_add_successes(policy[0], 9007199254740993n), OK); // 2^53 + 1: BigInt in
        assert.strictEqual(api.policy_add_successes(policy[0], 2), OK);                 // a Number in
        const type = [null], reason = [null];
        assert.strictEqual(api.result_type_from_openssl(10, type, reason), OK);
        assert.deepStrictEqual([type[0], reason[0]], ['certificate-expired', 'X509_V_ERR_CERT_HAS_EXPIRED']);
        const f = [null];
        assert.strictEqual(api.failure_new(f, type[0]), OK);
        try {
            assert.strictEqual(api.failure_set_reason_code(f[0], reason[0]), OK);
            assert.strictEqual(api.failure_set_sending_mta_ip(f[0], '2001:DB8::1'), OK);
            assert.strictEqual(api.failure_set_sending_mta_ip(f[0], 'not an ip'), EINVAL);
            assert.strictEqual(api.policy_add_failures(policy[0], f[0], 3), OK);

            // the same outcome as an event: encoded into a Buffer, applied
            const buf = Buffer.alloc(65507), len = [0];
            assert.strictEqual(api.event_encode(buf, buf.length, len, 1719835200, 1, 'example.com',
                ['version: STSv1', 'mode: enforce'], 2, ['mx.example.com'], 1, f[0], 1), OK);
            withDiag((d) => {
                assert.strictEqual(api.report_apply_event(rep[0], buf, len[0], d), OK);
                assert.strictEqual(api.report_apply_event(rep[0], buf.subarray(0, len[0] - 1), len[0] - 1, d),
                    ESYNTAX);
                assert.deepStrictEqual(diags(d), [['event-truncated', 2, len[0] - 1, '']]);
            });
            const when = [null];
            assert.strictEqual(api.event_peek(buf, len[0], null, when, null), OK);
            assert.strictEqual(when[0], 1719835200);
        } finally {
            api.failure_free(f[0]);
        }
        const p = api.report_policy(rep[0], 0);
        assert.strictEqual(u64(api.policy_successful_sessions(p)), 9007199254740995n);
        assert.strictEqual(u64(api.policy_failed_sessions(p)), 4n);
        const out = [null], len = [0];
        assert.strictEqual(api.report_serialize(rep[0], 0, out, len), OK);
        const json = takeString(out[0], len[0]);
        assert.ok(json.includes('"total-successful-session-count":9007199254740995'), json);
        assert.ok(json.includes('"sending-mta-ip":"2001:db8::1"'), json);
        // JSON.parse loses the exact count: read 64-bit counts with the library's getters instead
        assert.strictEqual(JSON.parse(json).policies[0].summary['total-successful-session-count'],
            9007199254740996);
    } finally {
        api.report_free(rep[0]);
    }
    api.report_free(null);
    api.free(null);
});

// koffi's async calls run the C function on a worker thread; a JS callback the library calls from there is queued
// to the main thread, which must stay free (doc/bindings.md, Threads).
function asyncLookup(done) {
    let returned = false, calls = 0, onMainLoop = null;
    const registered = koffi.register((qname, answer) => {
        calls++;
        onMainLoop = returned; // true: it ran after the synchronous code below, i.e. from the event loop
        const b = Buffer.from('v=TLSRPTv1;rua=mailto:async@example.com');
        return api.txt_answer_add(answer, [b], [b.length], 1);
    }, koffi.pointer(LookupProto));
    const res = [null], result = [null];
    assert.strictEqual(api.resolver_new(res), OK);
    assert.strictEqual(api.resolver_set_lookup(res[0], registered, null), OK);
    api.lookup.async(res[0], 'example.com', result, (err, rc) => {
        test('lookup.async: the C call on a worker thread, the JS callback on the main thread', () => {
            assert.strictEqual(err, null);
            assert.strictEqual(rc, OK);
            assert.strictEqual(calls, 1);
            assert.strictEqual(onMainLoop, true);
            const rec = api.lookup_result_record(result[0]);
            assert.strictEqual(api.uri_mailbox(api.record_rua(rec, 0)), 'async@example.com');
        });
        api.lookup_result_free(result[0]);
        api.resolver_free(res[0]);
        koffi.unregister(registered);
        done();
    });
    returned = true;
}

asyncLookup(() => {
    console.log(`1..${passed + failed}`);
    process.exit(failed ? 1 : 0);
});

#!/usr/bin/env node
// The same job as report_bench.c in Node: JSON.parse(zlib.gunzipSync(data)), then every field read the way
// report_bench.c reads it through libtlsrpt's getters, folded into the same checksum. Output as report_bench.
//
// usage: node bench_node.js [--seconds S] FILE...
// SPDX-License-Identifier: MIT
'use strict';
const fs = require('fs');
const zlib = require('zlib');

const BATCHES = 5;
const POLICY_TYPES = new Map([['sts', 1], ['tlsa', 2], ['no-policy-found', 3]]);
const RESULT_TYPES = new Map(['starttls-not-supported', 'certificate-host-mismatch', 'certificate-expired',
  'certificate-not-trusted', 'validation-failure', 'tlsa-invalid', 'dnssec-invalid', 'dane-required',
  'sts-policy-fetch-error', 'sts-policy-invalid', 'sts-webpki-invalid'].map((n, i) => [n, i + 1]));

const slen = (o, k) => (typeof o[k] === 'string' ? o[k].length : 0);
const unixTime = (o, k) => (typeof o[k] === 'string' ? Date.parse(o[k]) / 1000 : 0);

// Every count in the benchmark reports is far below 2^53, so Number sums are exact (the checksum matches C's).
function walk(r) {
  const range = r['date-range'] || {};
  let c = slen(r, 'organization-name') + slen(r, 'contact-info') + slen(r, 'report-id') +
    unixTime(range, 'start-datetime') + unixTime(range, 'end-datetime');
  const policies = r.policies || [];
  c += policies.length;
  for (const entry of policies) {
    const p = entry.policy || {};
    const ptype = p['policy-type'];
    c += (POLICY_TYPES.get(ptype) || 0) + ptype.length + slen(p, 'policy-domain');
    for (const s of p['policy-string'] || []) c += s.length;
    const mx = p['mx-host'];
    if (typeof mx === 'string') c += mx.length;
    else for (const s of mx || []) c += s.length;
    const summary = entry.summary || {};
    c += (summary['total-successful-session-count'] || 0) + (summary['total-failure-session-count'] || 0);
    const details = entry['failure-details'] || [];
    c += details.length;
    for (const f of details) {
      const rt = f['result-type'];
      c += (RESULT_TYPES.get(rt) || 0) + rt.length + slen(f, 'sending-mta-ip') + slen(f, 'receiving-mx-hostname') +
        slen(f, 'receiving-mx-helo') + slen(f, 'receiving-ip') + slen(f, 'additional-information') +
        slen(f, 'failure-reason-code') + (f['failed-session-count'] || 0);
    }
  }
  return c;
}

function once(data) {
  const text = data[0] === 0x1f && data[1] === 0x8b ? zlib.gunzipSync(data) : data;
  return walk(JSON.parse(text));
}

function timed(data, iters) {
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < iters; k++) once(data);
  return Number(process.hrtime.bigint() - t0) / 1e9 / iters;
}

let args = process.argv.slice(2);
let seconds = 1.0;
if (args[0] === '--seconds') { seconds = Number(args[1]); args = args.slice(2); }
for (const name of args) {
  const data = fs.readFileSync(name);
  const checksum = once(data);
  let iters = 1;
  while (timed(data, iters) * iters < seconds / BATCHES / 4) iters *= 2;
  iters *= 4;
  let best = Infinity;
  for (let b = 0; b < BATCHES; b++) best = Math.min(best, timed(data, iters));
  const size = data[0] === 0x1f && data[1] === 0x8b ? data.readUInt32LE(data.length - 4) : data.length;
  console.log(`node\t${name}\t${size}\t${(best * 1e6).toFixed(3)}\t${checksum}`);
}

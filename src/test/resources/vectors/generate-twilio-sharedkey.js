// Generates twilio-sharedkey.json: Twilio's SharedKey signing (Webhooks configuration API), where
// X-Twilio-Webhooks-Signature-Settings names the algorithm and the SharedKey secret replaces the
// auth token. Every signature comes from twilio-node's getExpectedTwilioSignature and every case's
// outcome is re-checked the way that SDK's examples/WebhookSignatureValidation.md validates manually
// (secret chosen by the header's presence, algorithm from getSignatureAlgorithm); the generator throws
// rather than write a case the SDK judges differently.
const fs = require('fs');
const crypto = require('crypto');
const twilio = require('twilio');
const out = process.argv[2];
const version = (p) => JSON.parse(fs.readFileSync(`node_modules/${p}/package.json`)).version;
const must = (ok, what) => { if (!ok) throw new Error('SDK disagrees: ' + what); };
const tamper = (body) => {
  for (let i = body.length - 1; i >= 0; i--) {
    const c = body[i];
    if (c.toLowerCase() !== c.toUpperCase()) {
      return body.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + body.slice(i + 1);
    }
  }
  return body + ' ';
};
const form = (p) => Object.entries(p).map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(v)).join('&');
const parseForm = (s) => Object.fromEntries(new URLSearchParams(s));

const authToken = 'a3f1c9e5d7b2a4f6e8c0d2b4a6f8e0c2';
const shared = 'whsk_3Tq9pXvL2mN8rB6yK4cH7dJ1fG5sW0aZ';
const sharedNext = 'whsk_9Zx1cV3bN5mQ7wE2rT4yU6iO8pA0sD1F';
const settings256 = 'key=webhooks_sharedkey_01jv7x2k9m3n4p5q6r7s8t9v0w,algorithm=HMAC_SHA256';
const settings1 = 'key=webhooks_sharedkey_01jv7x2k9m3n4p5q6r7s8t9v0w,algorithm=HMAC_SHA1';
const url = 'https://hooks.example.com/webhooks/twilio?source=sms';
const params = { MessageSid: 'SM0123456789abcdef0123456789abcdef', AccountSid: 'AC1', From: '+15005550006',
  To: '+15005550001', Body: 'Héllo & welcome = 100%', SmsStatus: 'received' };
const formCt = 'application/x-www-form-urlencoded; charset=utf-8';
const sign = (secret, u, p, alg) => twilio.getExpectedTwilioSignature(secret, u, p, alg);

// The SDK's manual validation: the settings header decides the secret (SharedKey or auth token,
// each configured one tried: rotation) and the algorithm; no secret of that kind means refused.
const sdkAccepts = (secrets, headers, u, body, json) => {
  const settings = headers['X-Twilio-Webhooks-Signature-Settings'];
  const candidates = secrets.filter((s) => s.startsWith('sharedkey:') === Boolean(settings))
    .map((s) => s.replace(/^sharedkey:/, ''));
  const algorithm = twilio.getSignatureAlgorithm(settings);
  const sig = headers['X-Twilio-Signature'];
  return candidates.some((s) => (json ? twilio.validateRequestWithBody(s, sig, u, body, algorithm)
    : twilio.validateRequest(s, sig, u, parseForm(body), algorithm)));
};

const cases = [];
const add = (c, json) => {
  must(sdkAccepts(c.secrets, c.headers, c.publicUrl, c.body, json) === (c.expect === 'accepted'), c.name);
  if (c.tamperedBody) must(!sdkAccepts(c.secrets, c.headers, c.publicUrl, c.tamperedBody, json), c.name + ' tampered');
  if (c.wrongSecrets) must(!sdkAccepts(c.wrongSecrets, c.headers, c.publicUrl, c.body, json), c.name + ' wrong secrets');
  cases.push(c);
};
const both = ['sharedkey:' + shared, authToken];

const sig256 = sign(shared, url, params, 'HMAC_SHA256');
add({ name: 'SharedKey HMAC_SHA256, form body', secrets: both, wrongSecrets: ['sharedkey:' + shared.slice(0, -1) + 'x', authToken],
  publicUrl: url, headers: { 'X-Twilio-Signature': sig256, 'X-Twilio-Webhooks-Signature-Settings': settings256, 'Content-Type': formCt },
  body: form(params), tamperedBody: tamper(form(params)), receivedAtMillis: 1700000000000, expect: 'accepted',
  eventId: params.MessageSid, eventType: null });

const json = JSON.stringify({ type: 'com.twilio.messaging.message.delivered', MessageSid: 'SM9' });
const jsonUrl = `${url}&bodySHA256=${crypto.createHash('sha256').update(json).digest('hex')}`;
add({ name: 'SharedKey HMAC_SHA256, JSON body with bodySHA256', secrets: both, wrongSecrets: ['sharedkey:' + sharedNext],
  publicUrl: jsonUrl, headers: { 'X-Twilio-Signature': sign(shared, jsonUrl, {}, 'HMAC_SHA256'), 'X-Twilio-Webhooks-Signature-Settings': settings256,
    'Content-Type': 'application/json', 'I-Twilio-Idempotency-Token': 'idem-sharedkey-1' },
  body: json, tamperedBody: tamper(json), receivedAtMillis: 1700000000000, expect: 'accepted',
  eventId: 'idem-sharedkey-1', eventType: 'com.twilio.messaging.message.delivered' }, true);

add({ name: 'SharedKey with algorithm=HMAC_SHA1', secrets: both, wrongSecrets: [authToken],
  publicUrl: url, headers: { 'X-Twilio-Signature': sign(shared, url, params, 'HMAC_SHA1'), 'X-Twilio-Webhooks-Signature-Settings': settings1, 'Content-Type': formCt },
  body: form(params), tamperedBody: tamper(form(params)), receivedAtMillis: 1700000000000, expect: 'accepted',
  eventId: params.MessageSid, eventType: null });

add({ name: 'rotation: signed with the second SharedKey', secrets: ['sharedkey:' + shared, 'sharedkey:' + sharedNext],
  wrongSecrets: ['sharedkey:' + shared],
  publicUrl: url, headers: { 'X-Twilio-Signature': sign(sharedNext, url, params, 'HMAC_SHA256'), 'X-Twilio-Webhooks-Signature-Settings': settings256, 'Content-Type': formCt },
  body: form(params), tamperedBody: tamper(form(params)), receivedAtMillis: 1700000000000, expect: 'accepted',
  eventId: params.MessageSid, eventType: null });

add({ name: 'settings header present but signed with the auth token', secrets: both,
  publicUrl: url, headers: { 'X-Twilio-Signature': sign(authToken, url, params, 'HMAC_SHA1'), 'X-Twilio-Webhooks-Signature-Settings': settings1, 'Content-Type': formCt },
  body: form(params), receivedAtMillis: 1700000000000, expect: 'invalid_signature' });

add({ name: 'settings header present, source has only an auth token', secrets: [authToken],
  publicUrl: url, headers: { 'X-Twilio-Signature': sig256, 'X-Twilio-Webhooks-Signature-Settings': settings256, 'Content-Type': formCt },
  body: form(params), receivedAtMillis: 1700000000000, expect: 'invalid_signature' });

// Without the header the SDK checks the auth token with HMAC-SHA1; a 32-byte signature cannot be one.
add({ name: 'SharedKey signature without the settings header', secrets: both,
  publicUrl: url, headers: { 'X-Twilio-Signature': sig256, 'Content-Type': formCt },
  body: form(params), receivedAtMillis: 1700000000000, expect: 'malformed_signature' });

// twilio-node refuses (and warns about) an algorithm it does not know.
const origWarn = console.warn; console.warn = () => {};
add({ name: 'unsupported algorithm', secrets: both,
  publicUrl: url, headers: { 'X-Twilio-Signature': sig256, 'X-Twilio-Webhooks-Signature-Settings': 'key=webhooks_sharedkey_x,algorithm=HMAC_SHA512', 'Content-Type': formCt },
  body: form(params), receivedAtMillis: 1700000000000, expect: 'malformed_signature' });
console.warn = origWarn;

fs.writeFileSync(`${out}/twilio-sharedkey.json`, JSON.stringify({ scheme: 'twilio',
  origin: `twilio ${version('twilio')} (npm) getExpectedTwilioSignature(secret, url, params, algorithm); each case re-judged by that SDK's validateRequest / validateRequestWithBody with getSignatureAlgorithm(X-Twilio-Webhooks-Signature-Settings), the secret chosen by the header as in its examples/WebhookSignatureValidation.md; https://www.twilio.com/docs/usage/webhooks/webhook-shared-keys`,
  cases }, null, 2) + '\n');

// Generates Hookline's fixtures for Slack, Twilio, Paddle, Shopify and the generic HMAC scheme.
const fs = require('fs');
const crypto = require('crypto');
const out = process.argv[2];
const version = (p) => JSON.parse(fs.readFileSync(`node_modules/${p}/package.json`)).version;
const write = (name, obj) => fs.writeFileSync(`${out}/${name}.json`, JSON.stringify(obj, null, 2) + '\n');

// ---------------- Slack: the docs example, checked with Bolt's own verifier
(async () => {
{
  const { verifySlackRequest } = require('@slack/bolt/dist/receivers/verify-request');
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const ts = 1531420618;
  const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  const sig = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
  verifySlackRequest({ signingSecret: secret, body, headers: { 'x-slack-request-timestamp': ts, 'x-slack-signature': sig }, nowMilliseconds: ts * 1000 });
  const sign = (b, t, s = secret) => 'v0=' + crypto.createHmac('sha256', s).update(`v0:${t}:${b}`).digest('hex');
  const t2 = 1700000000;
  const event = JSON.stringify({ token: 'x', team_id: 'T1', type: 'event_callback', event_id: 'Ev08MFMKH6', event: { type: 'app_mention', text: 'hi' } });
  const challenge = JSON.stringify({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
  for (const [b, t] of [[event, t2], [challenge, t2]]) {
    verifySlackRequest({ signingSecret: secret, body: b, headers: { 'x-slack-request-timestamp': t, 'x-slack-signature': sign(b, t) }, nowMilliseconds: t * 1000 });
  }
  const h = (s, t) => ({ 'X-Slack-Signature': s, 'X-Slack-Request-Timestamp': String(t) });
  write('slack', {
    scheme: 'slack',
    generator: `Slack's documented example and HMACs from node ${process.version} crypto, each checked with @slack/bolt ${version('@slack/bolt')} verifySlackRequest`,
    cases: [
      { name: 'Slack docs example (slash command)', secrets: [secret], headers: h(sig, ts), body, receivedAtMillis: ts * 1000, expect: 'accepted', eventId: null, eventType: null },
      { name: 'docs example, wrong secret', secrets: ['8f742231b10e8888abcd99yyyzzz85a6'], headers: h(sig, ts), body, receivedAtMillis: ts * 1000, expect: 'invalid_signature' },
      { name: 'docs example, stale', secrets: [secret], headers: h(sig, ts), body, receivedAtMillis: (ts + 301) * 1000, expect: 'timestamp_out_of_tolerance' },
      { name: 'event callback', secrets: [secret], headers: h(sign(event, t2), t2), body: event, receivedAtMillis: t2 * 1000, expect: 'accepted', eventId: 'Ev08MFMKH6', eventType: 'app_mention' },
      { name: 'url_verification handshake', secrets: [secret], headers: h(sign(challenge, t2), t2), body: challenge, receivedAtMillis: t2 * 1000,
        expect: 'handshake', handshakeBody: JSON.stringify({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' }) },
      { name: 'url_verification with a bad signature is not answered', secrets: [secret], headers: h(sign(challenge, t2, 'other'), t2), body: challenge, receivedAtMillis: t2 * 1000,
        expect: 'invalid_signature' },
    ],
  });
}

// ---------------- Twilio: the docs example and the official SDK
{
  const twilio = require('twilio');
  const token = '12345';
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
  const docsSig = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';
  const expected = twilio.getExpectedTwilioSignature(token, url, params);
  if (expected !== docsSig) throw new Error('Twilio docs vector mismatch: ' + expected);
  if (!twilio.validateRequest(token, docsSig, url, params)) throw new Error('twilio validateRequest');
  const form = (p) => Object.entries(p).map(([k, v]) => (Array.isArray(v) ? v : [v]).map(x => encodeURIComponent(k) + '=' + encodeURIComponent(x)).join('&')).join('&');
  const formCt = 'application/x-www-form-urlencoded; charset=utf-8';

  const smsToken = 'a3f1c9e5d7b2a4f6e8c0d2b4a6f8e0c2';
  const smsUrl = 'https://hooks.example.com/webhooks/twilio';
  const smsParams = { MessageSid: 'SM0123456789abcdef0123456789abcdef', AccountSid: 'AC1', From: '+15005550006', To: '+15005550001',
    Body: 'Héllo wörld & friends = 100% 🚀', NumMedia: '0', SmsStatus: 'received' };
  const smsSig = twilio.getExpectedTwilioSignature(smsToken, smsUrl, smsParams);
  const repeated = { MessageSid: 'SM2', Tags: ['b', 'a', 'b'], Zeta: '1', alpha: '2' };
  const repeatedSig = twilio.getExpectedTwilioSignature(smsToken, smsUrl, repeated);
  if (!twilio.validateRequest(smsToken, repeatedSig, smsUrl, repeated)) throw new Error('repeated');
  // Signed with the port Twilio sometimes includes; the request URL has none.
  const portSig = twilio.getExpectedTwilioSignature(smsToken, 'https://hooks.example.com:443/webhooks/twilio', smsParams);
  if (!twilio.validateRequest(smsToken, portSig, smsUrl, smsParams)) throw new Error('port');

  const json = JSON.stringify({ type: 'com.twilio.messaging.message.delivered', MessageSid: 'SM9' });
  const bodyHash = crypto.createHash('sha256').update(json).digest('hex');
  const jsonUrl = `${smsUrl}?bodySHA256=${bodyHash}`;
  const jsonSig = twilio.getExpectedTwilioSignature(smsToken, jsonUrl, {});
  if (!twilio.validateRequestWithBody(smsToken, jsonSig, jsonUrl, json)) throw new Error('json');
  write('twilio', {
    scheme: 'twilio',
    generator: `Twilio's documented example, checked with twilio ${version('twilio')} (npm) getExpectedTwilioSignature/validateRequest; other cases from that SDK, each re-validated with validateRequest or validateRequestWithBody`,
    cases: [
      { name: 'Twilio docs example', secrets: [token], publicUrl: url, headers: { 'X-Twilio-Signature': docsSig, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form(params), receivedAtMillis: 1700000000000, expect: 'accepted', eventId: 'CA1234567890ABCDE' },
      { name: 'docs example, tampered Digits', secrets: [token], publicUrl: url, headers: { 'X-Twilio-Signature': docsSig, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form({ ...params, Digits: '1235' }), receivedAtMillis: 1700000000000, expect: 'invalid_signature' },
      { name: 'docs example, other URL', secrets: [token], publicUrl: 'https://mycompany.com/myapp.php?foo=1&bar=3', headers: { 'X-Twilio-Signature': docsSig, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form(params), receivedAtMillis: 1700000000000, expect: 'invalid_signature' },
      { name: 'SMS with non-ASCII and reserved characters, idempotency token', secrets: [smsToken], publicUrl: smsUrl,
        headers: { 'X-Twilio-Signature': smsSig, 'Content-Type': formCt, 'I-Twilio-Idempotency-Token': 'f6b4c1e2-idem' },
        body: form(smsParams), receivedAtMillis: 1700000000000, expect: 'accepted', eventId: 'f6b4c1e2-idem' },
      { name: 'repeated parameter names', secrets: [smsToken], publicUrl: smsUrl, headers: { 'X-Twilio-Signature': repeatedSig, 'Content-Type': formCt },
        body: form(repeated), receivedAtMillis: 1700000000000, expect: 'accepted', eventId: 'SM2' },
      { name: 'signed with :443, received without port', secrets: [smsToken], publicUrl: smsUrl, headers: { 'X-Twilio-Signature': portSig, 'Content-Type': formCt },
        body: form(smsParams), receivedAtMillis: 1700000000000, expect: 'accepted', eventId: 'SM0123456789abcdef0123456789abcdef' },
      { name: 'JSON body with bodySHA256', secrets: [smsToken], publicUrl: jsonUrl, headers: { 'X-Twilio-Signature': jsonSig, 'Content-Type': 'application/json' },
        body: json, receivedAtMillis: 1700000000000, expect: 'accepted', eventId: 'SM9', eventType: 'com.twilio.messaging.message.delivered' },
      { name: 'JSON body changed after signing', secrets: [smsToken], publicUrl: jsonUrl, headers: { 'X-Twilio-Signature': jsonSig, 'Content-Type': 'application/json' },
        body: json.replace('SM9', 'SM8'), receivedAtMillis: 1700000000000, expect: 'invalid_signature' },
    ],
  });
}

// ---------------- Paddle: node crypto, re-checked with the official SDK's validator
{
  const paddleSdk = require('@paddle/paddle-node-sdk');
  const paddle = new paddleSdk.Paddle('pdl_sdbx_apikey_dummy');
  const { WebhooksValidator } = require(require('path').resolve('node_modules/@paddle/paddle-node-sdk/dist/cjs/notifications/helpers/webhooks-validator.js'));
  const secret = 'pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI';
  const body = JSON.stringify({ event_id: 'evt_01h8441jn5pcwrfhwh78jqt8hk', event_type: 'subscription.created', occurred_at: '2023-08-21T11:57:47.390028Z', notification_id: 'ntf_01h8441jx8h9hrjhr0dq5wxvjk', data: { id: 'sub_01h8441jn5' } });
  const ts = Math.floor(Date.now() / 1000);
  const h1 = crypto.createHmac('sha256', secret).update(`${ts}:${body}`).digest('hex');
  const header = `ts=${ts};h1=${h1}`;
  const ok = await new WebhooksValidator().isValidSignature(body, secret, header);
  if (!ok) throw new Error('paddle SDK rejected our header');
  // And through the SDK's public entry point.
  if (!(await paddle.webhooks.isSignatureValid(body, secret, header))) throw new Error('paddle public API rejected our header');
  const secret2 = 'pdl_ntfset_01hrotated000000000000000000_rotatedsecretvalue0000000000';
  const h1b = crypto.createHmac('sha256', secret2).update(`${ts}:${body}`).digest('hex');
  write('paddle', {
    scheme: 'paddle',
    generator: `node ${process.version} crypto.createHmac('sha256') over "ts:body", each header re-checked with @paddle/paddle-node-sdk ${version('@paddle/paddle-node-sdk')} WebhooksValidator.isValidSignature and paddle.webhooks.isSignatureValid at generation time (the SDK allows 5 s of age, so the timestamp is the generation time)`,
    cases: [
      { name: 'single h1', secrets: [secret], headers: { 'Paddle-Signature': header }, body, receivedAtMillis: ts * 1000, expect: 'accepted',
        eventId: 'evt_01h8441jn5pcwrfhwh78jqt8hk', eventType: 'subscription.created' },
      { name: 'two h1 during rotation', secrets: [secret2], headers: { 'Paddle-Signature': `${header};h1=${h1b}` }, body, receivedAtMillis: ts * 1000, expect: 'accepted',
        eventId: 'evt_01h8441jn5pcwrfhwh78jqt8hk', eventType: 'subscription.created' },
      { name: 'stale', secrets: [secret], headers: { 'Paddle-Signature': header }, body, receivedAtMillis: (ts + 301) * 1000, expect: 'timestamp_out_of_tolerance' },
      { name: 'tampered', secrets: [secret], headers: { 'Paddle-Signature': header }, body: body.replace('created', 'updated'), receivedAtMillis: ts * 1000, expect: 'invalid_signature' },
    ],
  });
}

// ---------------- Shopify: node crypto (HMAC-SHA256, base64), as in Shopify's docs
{
  const secret = 'hush-shopify-client-secret';
  const body = JSON.stringify({ id: 820982911946154508, email: 'jon@example.com', total_price: '199.00' });
  const sig = crypto.createHmac('sha256', secret).update(body, 'utf8').digest('base64');
  const h = (s) => ({ 'X-Shopify-Hmac-Sha256': s, 'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', 'X-Shopify-Topic': 'orders/create' });
  write('shopify', {
    scheme: 'shopify',
    generator: `node ${process.version} crypto.createHmac('sha256', secret).update(body).digest('base64') (Shopify's documented verification)`,
    cases: [
      { name: 'order created', secrets: [secret], headers: h(sig), body, receivedAtMillis: 1700000000000, expect: 'accepted',
        eventId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', eventType: 'orders/create' },
      { name: 'wrong secret', secrets: ['other'], headers: h(sig), body, receivedAtMillis: 1700000000000, expect: 'invalid_signature' },
      { name: 'hex instead of base64', secrets: [secret], headers: h(Buffer.from(sig, 'base64').toString('hex')), body, receivedAtMillis: 1700000000000, expect: 'malformed_signature' },
    ],
  });
}

// ---------------- Generic HMAC: openssl-equivalent node crypto for several configurations
{
  const body = '{"data":{"id":"obj_42","kind":"thing.updated"}}';
  const ts = 1700000000;
  const rawSecret = 'generic-secret';
  const b64Secret = Buffer.from('binary\x00key\xff', 'latin1').toString('base64');
  const c1 = 'sha256=' + crypto.createHmac('sha256', rawSecret).update(body).digest('hex');
  const c2 = crypto.createHmac('sha512', Buffer.from(b64Secret, 'base64')).update(`${ts}.${body}`).digest('base64');
  const c3 = crypto.createHmac('sha1', rawSecret).update(`msg_1:${ts}:${body}`).digest('hex');
  write('hmac', {
    scheme: 'hmac',
    generator: `node ${process.version} crypto.createHmac, one configuration per case`,
    cases: [
      { name: 'sha256 hex with prefix and id header', secrets: [rawSecret], options: { header: 'X-Signature', prefix: 'sha256=', eventIdHeader: 'X-Event-Id' },
        headers: { 'X-Signature': c1, 'X-Event-Id': 'ev_1' }, body, receivedAtMillis: ts * 1000, expect: 'accepted', eventId: 'ev_1' },
      { name: 'sha512 base64 over timestamp.body with base64 secret, id by pointer', secrets: [b64Secret],
        options: { algorithm: 'sha512', header: 'X-Sig', encoding: 'base64', secretEncoding: 'base64', signedContent: '{timestamp}.{body}', timestampHeader: 'X-Timestamp',
          eventIdPointer: '/data/id', eventTypePointer: '/data/kind' },
        headers: { 'X-Sig': c2, 'X-Timestamp': String(ts) }, body, receivedAtMillis: ts * 1000, expect: 'accepted', eventId: 'obj_42', eventType: 'thing.updated' },
      { name: 'same, stale', secrets: [b64Secret],
        options: { algorithm: 'sha512', header: 'X-Sig', encoding: 'base64', secretEncoding: 'base64', signedContent: '{timestamp}.{body}', timestampHeader: 'X-Timestamp' },
        headers: { 'X-Sig': c2, 'X-Timestamp': String(ts) }, body, receivedAtMillis: (ts + 600) * 1000, expect: 'timestamp_out_of_tolerance' },
      { name: 'sha1 over id:timestamp:body', secrets: [rawSecret],
        options: { algorithm: 'sha1', header: 'X-Sig', signedContent: '{id}:{timestamp}:{body}', timestampHeader: 'X-Ts', idHeader: 'X-Id' },
        headers: { 'X-Sig': c3, 'X-Ts': String(ts), 'X-Id': 'msg_1' }, body, receivedAtMillis: ts * 1000, expect: 'accepted', eventId: 'msg_1' },
      { name: 'sha1 over id:timestamp:body, id swapped', secrets: [rawSecret],
        options: { algorithm: 'sha1', header: 'X-Sig', signedContent: '{id}:{timestamp}:{body}', timestampHeader: 'X-Ts', idHeader: 'X-Id' },
        headers: { 'X-Sig': c3, 'X-Ts': String(ts), 'X-Id': 'msg_2' }, body, receivedAtMillis: ts * 1000, expect: 'invalid_signature' },
    ],
  });
}
})().catch((e) => { console.error(e); process.exit(1); });

// Generates Hookline's fixtures for the asymmetric, handshake and unusual schemes of issue 18:
// discord, sendgrid, zoom, twitch, meta, dropbox, twitter, msgraph, okta, mailgun, hubspot, square,
// woocommerce. Where the provider ships an SDK that verifies, every accepted case is re-checked with
// it before writing (and the generator throws rather than write a case the SDK refuses); where it
// does not, the case follows the provider's documented computation, whose page is named in `origin`.
const fs = require('fs');
const crypto = require('crypto');
const out = process.argv[2];
const version = (p) => JSON.parse(fs.readFileSync(`node_modules/${p}/package.json`)).version;
const write = (name, obj) => fs.writeFileSync(`${out}/${name}.json`, JSON.stringify(obj, null, 2) + '\n');
const must = (ok, what) => { if (!ok) throw new Error('SDK refused: ' + what); };
const hmac = (alg, key, data, enc) => crypto.createHmac(alg, key).update(data).digest(enc);
// One changed byte: the last letter of the body flips case (JSON stays JSON).
const tamper = (body) => {
  for (let i = body.length - 1; i >= 0; i--) {
    const c = body[i];
    if (c.toLowerCase() !== c.toUpperCase()) {
      return body.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + body.slice(i + 1);
    }
  }
  return body + ' ';
};
const otherSecret = (s) => s.slice(0, -1) + (s.endsWith('x') ? 'y' : 'x');

(async () => {
// ---------------- Discord: Ed25519 signed by tweetnacl, verified with discord-interactions verifyKey
{
  const nacl = require('tweetnacl');
  const { verifyKey } = require('discord-interactions');
  const seed = Buffer.alloc(32, 7);
  const kp = nacl.sign.keyPair.fromSeed(seed);
  const other = nacl.sign.keyPair.fromSeed(Buffer.alloc(32, 9));
  const pub = Buffer.from(kp.publicKey).toString('hex');
  const otherPub = Buffer.from(other.publicKey).toString('hex');
  const sign = (ts, body) => Buffer.from(nacl.sign.detached(Buffer.from(ts + body), kp.secretKey)).toString('hex');
  const ts = '1700000000';
  const ping = JSON.stringify({ id: '1219000000000000001', application_id: '1219000000000000000', type: 1, version: 1, token: 'tok' });
  const command = JSON.stringify({ id: '1219000000000000002', application_id: '1219000000000000000', type: 2,
    data: { id: '1219', name: 'ping', type: 1 }, token: 'aW50ZXJhY3Rpb246MTIxOQ', version: 1 });
  const cases = [];
  for (const [name, body, expect, extra] of [
    ['PING answered {"type":1}', ping, 'handshake', { handshakeBody: '{"type":1}' }],
    ['APPLICATION_COMMAND', command, 'accepted', { eventId: '1219000000000000002', eventType: '2' }]]) {
    const sig = sign(ts, body);
    must(await verifyKey(body, sig, ts, pub), 'discord ' + name);
    must(!(await verifyKey(tamper(body), sig, ts, pub)), 'discord tampered must fail');
    cases.push({ name, secrets: [pub], wrongSecrets: [otherPub], headers: { 'X-Signature-Ed25519': sig, 'X-Signature-Timestamp': ts },
      body, tamperedBody: tamper(body), receivedAtMillis: Number(ts) * 1000, expect, ...extra });
  }
  const sig = sign(ts, command);
  cases.push({ name: 'stale timestamp', secrets: [pub], headers: { 'X-Signature-Ed25519': sig, 'X-Signature-Timestamp': ts },
    body: command, receivedAtMillis: (Number(ts) + 301) * 1000, expect: 'timestamp_out_of_tolerance' });
  cases.push({ name: 'PING with a bad signature is not answered', secrets: [pub], headers: { 'X-Signature-Ed25519': sign('1700000001', ping), 'X-Signature-Timestamp': ts },
    body: ping, receivedAtMillis: Number(ts) * 1000, expect: 'invalid_signature' });
  write('discord', { scheme: 'discord',
    origin: `Ed25519 signatures by tweetnacl ${version('tweetnacl')} (nacl.sign.detached over timestamp + body, seed 0x07 x 32), each verified with discord-interactions ${version('discord-interactions')} verifyKey; https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers`,
    cases });
}

// ---------------- SendGrid: the SDK's own published test vector, plus cases signed with a fixed P-256 key
{
  const { EventWebhook } = require('@sendgrid/eventwebhook');
  const ew = new EventWebhook();
  const PUBLIC_KEY = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==';
  const SIGNATURE = 'MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=';
  const TIMESTAMP = '1600112502';
  const PAYLOAD = JSON.stringify([{ email: 'hello@world.com', event: 'dropped', reason: 'Bounced Address',
    sg_event_id: 'ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA',
    sg_message_id: 'LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0',
    'smtp-id': '<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>', timestamp: 1600112492 }]) + '\r\n';
  must(ew.verifySignature(ew.convertPublicKeyToECDSA(PUBLIC_KEY), PAYLOAD, SIGNATURE, TIMESTAMP), 'sendgrid published vector');
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.alloc(32, 5));
  const pubRaw = ecdh.getPublicKey();
  const jwk = { kty: 'EC', crv: 'P-256', d: Buffer.alloc(32, 5).toString('base64url'),
    x: pubRaw.subarray(1, 33).toString('base64url'), y: pubRaw.subarray(33).toString('base64url') };
  const priv = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
  const pubB64 = crypto.createPublicKey(priv).export({ type: 'spki', format: 'der' }).toString('base64');
  const body = JSON.stringify([{ email: 'a@example.com', event: 'delivered', sg_event_id: 'ZGVsaXZlcmVk', timestamp: 1700000000 }]) + '\r\n';
  const ts = '1700000000';
  const sig = crypto.sign('sha256', Buffer.from(ts + body), priv).toString('base64');
  must(ew.verifySignature(ew.convertPublicKeyToECDSA(pubB64), body, sig, ts), 'sendgrid own key');
  write('sendgrid', { scheme: 'sendgrid',
    origin: `the published vector of @sendgrid/eventwebhook ${version('@sendgrid/eventwebhook')} (src/eventwebhook.spec.js) and a signature by node ${process.version} crypto.sign('sha256') with a fixed P-256 key, both verified with that SDK's EventWebhook.verifySignature; https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features`,
    cases: [
      { name: 'SendGrid SDK published vector', secrets: [PUBLIC_KEY], wrongSecrets: [pubB64],
        headers: { 'X-Twilio-Email-Event-Webhook-Signature': SIGNATURE, 'X-Twilio-Email-Event-Webhook-Timestamp': TIMESTAMP },
        body: PAYLOAD, tamperedBody: tamper(PAYLOAD), receivedAtMillis: Number(TIMESTAMP) * 1000, expect: 'accepted', eventId: null, eventType: 'sendgrid.events' },
      { name: 'fixed P-256 key, PEM armour in the secret', secrets: ['-----BEGIN PUBLIC KEY-----\n' + pubB64 + '\n-----END PUBLIC KEY-----'], wrongSecrets: [PUBLIC_KEY],
        headers: { 'X-Twilio-Email-Event-Webhook-Signature': sig, 'X-Twilio-Email-Event-Webhook-Timestamp': ts },
        body, tamperedBody: tamper(body), receivedAtMillis: Number(ts) * 1000, expect: 'accepted', eventId: null, eventType: 'sendgrid.events' },
      { name: 'published vector, a year later', secrets: [PUBLIC_KEY],
        headers: { 'X-Twilio-Email-Event-Webhook-Signature': SIGNATURE, 'X-Twilio-Email-Event-Webhook-Timestamp': TIMESTAMP },
        body: PAYLOAD, receivedAtMillis: (Number(TIMESTAMP) + 365 * 86400) * 1000, expect: 'timestamp_out_of_tolerance' },
    ] });
}

// ---------------- Zoom: the documented computation (no SDK verifies it)
{
  const secret = 'zoom-secret-token-1234567890';
  const ts = '1700000000';
  const sign = (body, s = secret) => 'v0=' + hmac('sha256', s, `v0:${ts}:${body}`, 'hex');
  const event = JSON.stringify({ event: 'meeting.started', event_ts: 1700000000123, payload: { account_id: 'A1', object: { id: 85 } } });
  const validation = JSON.stringify({ payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: 1700000000000, event: 'endpoint.url_validation' });
  const idOf = (e, t) => 'zoom:' + crypto.createHash('sha256').update(e + '\n' + t).digest('hex');
  const h = (body, s) => ({ 'x-zm-signature': sign(body, s), 'x-zm-request-timestamp': ts });
  write('zoom', { scheme: 'zoom',
    origin: `node ${process.version} crypto.createHmac as Zoom documents (v0:{timestamp}:{body}; encryptedToken = hex HMAC-SHA256 of plainToken): https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events`,
    cases: [
      { name: 'meeting.started', secrets: [secret], wrongSecrets: [otherSecret(secret)], headers: h(event), body: event, tamperedBody: tamper(event),
        receivedAtMillis: Number(ts) * 1000, expect: 'accepted', eventId: idOf('meeting.started', '1700000000123'), eventType: 'meeting.started' },
      { name: 'endpoint.url_validation answered', secrets: [secret], wrongSecrets: [otherSecret(secret)], headers: h(validation), body: validation, tamperedBody: tamper(validation),
        receivedAtMillis: Number(ts) * 1000, expect: 'handshake',
        handshakeBody: JSON.stringify({ plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: hmac('sha256', secret, 'qgg8vlvZRS6UYooatFL8Aw', 'hex') }) },
      { name: 'url_validation signed with another secret is not answered', secrets: [secret], headers: h(validation, 'attacker'), body: validation,
        receivedAtMillis: Number(ts) * 1000, expect: 'invalid_signature' },
      { name: 'stale', secrets: [secret], headers: h(event), body: event, receivedAtMillis: (Number(ts) + 301) * 1000, expect: 'timestamp_out_of_tolerance' },
      { name: 'future', secrets: [secret], headers: h(event), body: event, receivedAtMillis: (Number(ts) - 301) * 1000, expect: 'timestamp_out_of_tolerance' },
    ] });
}

// ---------------- Twitch EventSub: the documented computation (Twitch's own Node sample)
{
  const secret = 'twitch-eventsub-secret-0123456789';
  const ts = '2023-11-14T22:13:20.123456789Z';
  const at = Date.parse('2023-11-14T22:13:20.123Z');
  const sign = (id, body, s = secret) => 'sha256=' + hmac('sha256', s, id + ts + body, 'hex');
  const notif = JSON.stringify({ subscription: { id: 'f1c2a387-161a-49f9-a165-0f21d7a4e1c4', type: 'channel.follow', version: '2', status: 'enabled' },
    event: { user_id: '1337', broadcaster_user_id: '1338' } });
  const verif = JSON.stringify({ challenge: 'pogchamp-kappa-360noscope-vohiyo', subscription: { id: 'f1c2a387', type: 'channel.follow', version: '2', status: 'webhook_callback_verification_pending' } });
  const h = (id, body, type, s) => ({ 'Twitch-Eventsub-Message-Id': id, 'Twitch-Eventsub-Message-Timestamp': ts,
    'Twitch-Eventsub-Message-Signature': sign(id, body, s), 'Twitch-Eventsub-Message-Type': type, 'Twitch-Eventsub-Subscription-Type': 'channel.follow' });
  write('twitch', { scheme: 'twitch',
    origin: `node ${process.version} crypto.createHmac('sha256') over id + timestamp + body, exactly Twitch's published Node sample: https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message`,
    cases: [
      { name: 'notification', secrets: [secret], wrongSecrets: [otherSecret(secret)], headers: h('e76c6bd4-55c9-4987-8304-da1588d8988b', notif, 'notification'),
        body: notif, tamperedBody: tamper(notif), receivedAtMillis: at, expect: 'accepted', eventId: 'e76c6bd4-55c9-4987-8304-da1588d8988b', eventType: 'channel.follow' },
      { name: 'webhook_callback_verification answered with the challenge', secrets: [secret], wrongSecrets: [otherSecret(secret)],
        headers: h('m2', verif, 'webhook_callback_verification'), body: verif, tamperedBody: tamper(verif), receivedAtMillis: at,
        expect: 'handshake', handshakeBody: 'pogchamp-kappa-360noscope-vohiyo' },
      { name: 'verification signed with another secret is not answered', secrets: [secret], headers: h('m3', verif, 'webhook_callback_verification', 'nope'),
        body: verif, receivedAtMillis: at, expect: 'invalid_signature' },
      { name: 'older than 10 minutes', secrets: [secret], headers: h('m4', notif, 'notification'), body: notif, receivedAtMillis: at + 601000, expect: 'timestamp_out_of_tolerance' },
      { name: '9 minutes old is fine', secrets: [secret], headers: h('m5', notif, 'notification'), body: notif, receivedAtMillis: at + 540000, expect: 'accepted', eventId: 'm5', eventType: 'channel.follow' },
    ] });
}

// ---------------- Meta, Dropbox, X, WooCommerce: HMAC of the body as documented
{
  const metaSecret = 'meta-app-secret-abcdef0123456789';
  const metaBody = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '102', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp' } }] }] });
  const metaSig = 'sha256=' + hmac('sha256', metaSecret, metaBody, 'hex');
  write('meta', { scheme: 'meta',
    origin: `node ${process.version} crypto.createHmac('sha256', appSecret) of the body, as Meta documents: https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads ; GET verification: https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests`,
    cases: [
      { name: 'WhatsApp message', secrets: [metaSecret], wrongSecrets: [otherSecret(metaSecret)], headers: { 'X-Hub-Signature-256': metaSig }, body: metaBody,
        tamperedBody: tamper(metaBody), receivedAtMillis: 1700000000000, expect: 'accepted', eventId: null, eventType: 'whatsapp_business_account' },
      { name: 'GET verification, right token', method: 'GET', secrets: [metaSecret], options: { verifyToken: 'my-verify-token' }, headers: {},
        publicUrl: 'https://hooks.example.com/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=my-verify-token',
        body: '', receivedAtMillis: 1700000000000, expect: 'handshake', handshakeBody: '1158201444' },
      { name: 'GET verification, wrong token', method: 'GET', secrets: [metaSecret], options: { verifyToken: 'my-verify-token' }, headers: {},
        publicUrl: 'https://hooks.example.com/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess',
        body: '', receivedAtMillis: 1700000000000, expect: 'invalid_signature' },
    ] });

  const dbxSecret = 'dropbox-app-secret-xyz';
  const dbxBody = JSON.stringify({ list_folder: { accounts: ['dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc'] }, delta: { users: [12345678] } });
  write('dropbox', { scheme: 'dropbox',
    origin: `node ${process.version} crypto.createHmac('sha256', appSecret) of the body, hex, as Dropbox documents: https://www.dropbox.com/developers/reference/webhooks#notifications`,
    cases: [
      { name: 'notification', secrets: [dbxSecret], wrongSecrets: [otherSecret(dbxSecret)], headers: { 'X-Dropbox-Signature': hmac('sha256', dbxSecret, dbxBody, 'hex') },
        body: dbxBody, tamperedBody: tamper(dbxBody), receivedAtMillis: 1700000000000, expect: 'accepted', eventId: null, eventType: 'dropbox.notification' },
      { name: 'GET challenge echoed', method: 'GET', secrets: [dbxSecret], headers: {}, publicUrl: 'https://hooks.example.com/webhooks/dbx?challenge=abc123DEF',
        body: '', receivedAtMillis: 1700000000000, expect: 'handshake', handshakeBody: 'abc123DEF' },
      { name: 'GET without challenge', method: 'GET', secrets: [dbxSecret], headers: {}, publicUrl: 'https://hooks.example.com/webhooks/dbx',
        body: '', receivedAtMillis: 1700000000000, expect: 'missing_signature' },
    ] });

  const xSecret = 'x-consumer-secret-0123456789abcdef';
  const xBody = JSON.stringify({ for_user_id: '2244994945', tweet_create_events: [{ id_str: '1', text: 'hello' }] });
  const crc = 'NTRhOWQ1NjMtY2U3OC00ZmE0LTk5MWEtYWRlMWJkZmUzNzEy';
  write('twitter', { scheme: 'twitter',
    origin: `node ${process.version} crypto.createHmac('sha256', consumerSecret), base64, as X documents for both the signature header and the CRC response_token: https://docs.x.com/x-api/webhooks/introduction`,
    cases: [
      { name: 'tweet_create_events', secrets: [xSecret], wrongSecrets: [otherSecret(xSecret)],
        headers: { 'x-twitter-webhooks-signature': 'sha256=' + hmac('sha256', xSecret, xBody, 'base64') },
        body: xBody, tamperedBody: tamper(xBody), receivedAtMillis: 1700000000000, expect: 'accepted', eventId: null, eventType: 'tweet_create_events' },
      { name: 'GET crc_token answered', method: 'GET', secrets: [xSecret], headers: {}, publicUrl: 'https://hooks.example.com/webhooks/x?crc_token=' + crc,
        body: '', receivedAtMillis: 1700000000000, expect: 'handshake',
        handshakeBody: JSON.stringify({ response_token: 'sha256=' + hmac('sha256', xSecret, crc, 'base64') }) },
    ] });

  const wcSecret = 'wc-webhook-secret-!@#';
  const wcBody = JSON.stringify({ id: 727, status: 'processing', currency: 'EUR', total: '29.35' });
  write('woocommerce', { scheme: 'woocommerce',
    origin: `node ${process.version} crypto.createHmac('sha256', secret) of the body, base64 — WooCommerce's base64_encode(hash_hmac('sha256', $payload, $secret, true)) in WC_Webhook::generate_signature: https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks`,
    cases: [
      { name: 'order.updated', secrets: [wcSecret], wrongSecrets: [otherSecret(wcSecret)],
        headers: { 'X-WC-Webhook-Signature': hmac('sha256', wcSecret, wcBody, 'base64'), 'X-WC-Webhook-Delivery-ID': 'a1b2c3', 'X-WC-Webhook-Topic': 'order.updated' },
        body: wcBody, tamperedBody: tamper(wcBody), receivedAtMillis: 1700000000000, expect: 'accepted', eventId: 'a1b2c3', eventType: 'order.updated' },
      { name: 'unsigned creation ping answered', secrets: [wcSecret], headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'webhook_id=42', receivedAtMillis: 1700000000000, expect: 'handshake', handshakeBody: '' },
      { name: 'unsigned body that is not the ping', secrets: [wcSecret], headers: {}, body: 'webhook_id=42&x=1', receivedAtMillis: 1700000000000, expect: 'missing_signature' },
    ] });
}

// ---------------- Microsoft Graph and Okta: shared-secret schemes as documented
{
  const state = 'secretClientValue-8f3a';
  const body = JSON.stringify({ value: [{ subscriptionId: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07', clientState: state, changeType: 'created',
    resource: 'Users/abc/Messages/def', tenantId: 'bb8775a4', resourceData: { id: 'def' } }] });
  const idOf = crypto.createHash('sha256').update('7f105c7d-2dc5-4530-97cd-4e7ae6534c07\ncreated\nUsers/abc/Messages/def').digest('hex');
  write('msgraph', { scheme: 'msgraph',
    origin: 'Microsoft Graph documented notification and validation examples: https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks',
    cases: [
      { name: 'created', secrets: [state], wrongSecrets: [otherSecret(state)], headers: {}, body, tamperedBody: body.replace(state, otherSecret(state)),
        receivedAtMillis: 1700000000000, expect: 'accepted', eventId: 'msgraph:' + idOf, eventType: 'created' },
      { name: 'validationToken echoed', secrets: [state], headers: {}, publicUrl: 'https://hooks.example.com/webhooks/graph?validationToken=Validation%3a+Testing+client+application+reachability+for+subscription+Request-Id%3a+25c2b5d2',
        body: '', receivedAtMillis: 1700000000000, expect: 'handshake', handshakeBody: 'Validation: Testing client application reachability for subscription Request-Id: 25c2b5d2' },
    ] });
  const auth = 'Basic b2t0YTpob29rLXNlY3JldA==';
  const oktaBody = JSON.stringify({ eventType: 'com.okta.event_hook', eventTypeVersion: '1.0', cloudEventsVersion: '0.1', source: 'https://example.okta.com/api/v1/eventHooks/who8',
    eventId: 'b5a188b9-5ece-4636-b041-482ffda96311', data: { events: [{ eventType: 'user.session.start' }] } });
  write('okta', { scheme: 'okta',
    origin: 'Okta event hook documented request and one-time verification: https://developer.okta.com/docs/concepts/event-hooks/',
    cases: [
      { name: 'event hook', secrets: [auth], wrongSecrets: [otherSecret(auth)], headers: { Authorization: auth }, body: oktaBody,
        receivedAtMillis: 1700000000000, expect: 'accepted', eventId: 'b5a188b9-5ece-4636-b041-482ffda96311', eventType: 'com.okta.event_hook' },
      { name: 'GET verification answered', method: 'GET', secrets: [auth], headers: { Authorization: auth, 'x-okta-verification-challenge': 'z-ScuS8k3DMQ2XGHK64e_7kvbdXJ-xKbWw-C-bbA5f' },
        body: '', receivedAtMillis: 1700000000000, expect: 'handshake', handshakeBody: JSON.stringify({ verification: 'z-ScuS8k3DMQ2XGHK64e_7kvbdXJ-xKbWw-C-bbA5f' }) },
      { name: 'GET verification with a wrong Authorization', method: 'GET', secrets: [auth], headers: { Authorization: 'Basic bad', 'x-okta-verification-challenge': 'abc' },
        body: '', receivedAtMillis: 1700000000000, expect: 'invalid_signature' },
    ] });
}

// ---------------- Mailgun: documented computation (HMAC-SHA256 of timestamp + token)
{
  const key = 'key-mailgun-signing-0123456789abcdef';
  const mk = (token, ts, s = key) => JSON.stringify({ signature: { timestamp: String(ts), token, signature: hmac('sha256', s, String(ts) + token, 'hex') },
    'event-data': { event: 'delivered', id: 'CPgfbmQMTCKtHW6uIWtuVe', recipient: 'alice@example.com' } });
  const body = mk('d8c25a1ff6d2ae9c7d5b03a0b8c11c2d0c5e2bb1d3f5e9a6a4', 1700000000);
  write('mailgun', { scheme: 'mailgun',
    origin: `node ${process.version} crypto.createHmac('sha256', signingKey) of timestamp + token, hex, as Mailgun documents: https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks`,
    cases: [
      { name: 'delivered', secrets: [key], wrongSecrets: [otherSecret(key)], headers: {}, body,
        tamperedBody: body.replace('d8c25a1ff6', 'd8c25a1ff7'), receivedAtMillis: 1700000000000, expect: 'accepted',
        eventId: 'd8c25a1ff6d2ae9c7d5b03a0b8c11c2d0c5e2bb1d3f5e9a6a4', eventType: 'delivered' },
      { name: 'stale', secrets: [key], headers: {}, body, receivedAtMillis: 1700000301000, expect: 'timestamp_out_of_tolerance' },
    ] });
}

// ---------------- HubSpot v3: signed with the official SDK's Signature.getSignature, checked with isValid
{
  const { Signature } = require('@hubspot/api-client/lib/src/utils/signature');
  const secret = 'hubspot-client-secret-0f1e2d3c';
  const url = 'https://hooks.example.com/webhooks/hubspot?portal=62515';
  const body = JSON.stringify([{ eventId: 1792813906, subscriptionId: 234, portalId: 62515, appId: 54321, occurredAt: 1700000000000,
    subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: 123, propertyName: 'email', propertyValue: 'a@b.c' }]);
  const ts = Date.now();
  const sig = Signature.getSignature('POST', 'v3', { clientSecret: secret, requestBody: body, url, timestamp: ts });
  must(Signature.isValid({ signatureVersion: 'v3', clientSecret: secret, requestBody: body, url, timestamp: ts, signature: sig }), 'hubspot v3');
  const h = { 'X-HubSpot-Signature-v3': sig, 'X-HubSpot-Request-Timestamp': String(ts) };
  write('hubspot', { scheme: 'hubspot',
    origin: `@hubspot/api-client ${version('@hubspot/api-client')} Signature.getSignature('POST','v3',…), re-checked with Signature.isValid (the SDK only accepts a timestamp within 5 min of its clock, so cases are stamped with the generation time); https://developers.hubspot.com/docs/api/webhooks/validating-requests`,
    cases: [
      { name: 'contact.propertyChange', secrets: [secret], wrongSecrets: [otherSecret(secret)], publicUrl: url, headers: h, body, tamperedBody: tamper(body),
        receivedAtMillis: ts, expect: 'accepted', eventId: '1792813906', eventType: 'contact.propertyChange' },
      { name: 'other URL', secrets: [secret], publicUrl: url + '0', headers: h, body, receivedAtMillis: ts, expect: 'invalid_signature' },
      { name: 'stale', secrets: [secret], publicUrl: url, headers: h, body, receivedAtMillis: ts + 301000, expect: 'timestamp_out_of_tolerance' },
    ] });
}

// ---------------- Square: signed as documented, checked with the official SDK's WebhooksHelper.verifySignature
{
  const { WebhooksHelper } = require('square');
  const key = 'square-signature-key-Zx9';
  const url = 'https://example.com/webhooks/square';
  const body = JSON.stringify({ merchant_id: 'MLEFBHHSJGVHD', type: 'payment.created', event_id: '6a8f5f28-54a1-4eb0-a98a-3111513fd4fc',
    created_at: '2023-11-14T22:13:20Z', data: { type: 'payment', id: 'KkAkhdMsgzn59SM8A89WgKwekxLZY' } });
  const sig = hmac('sha256', key, url + body, 'base64');
  must(await WebhooksHelper.verifySignature({ requestBody: body, signatureHeader: sig, signatureKey: key, notificationUrl: url }), 'square');
  write('square', { scheme: 'square',
    origin: `node ${process.version} crypto.createHmac('sha256', key) of notification URL + body, verified with square ${version('square')} WebhooksHelper.verifySignature; https://developer.squareup.com/docs/webhooks/step3validate`,
    cases: [
      { name: 'payment.created, notificationUrl option', secrets: [key], wrongSecrets: [otherSecret(key)], options: { notificationUrl: url },
        publicUrl: 'https://internal.example.net/webhooks/square', headers: { 'x-square-hmacsha256-signature': sig }, body, tamperedBody: tamper(body),
        receivedAtMillis: 1700000000000, expect: 'accepted', eventId: '6a8f5f28-54a1-4eb0-a98a-3111513fd4fc', eventType: 'payment.created' },
      { name: 'payment.created, URL the request arrived at', secrets: [key], publicUrl: url, headers: { 'x-square-hmacsha256-signature': sig }, body,
        receivedAtMillis: 1700000000000, expect: 'accepted', eventId: '6a8f5f28-54a1-4eb0-a98a-3111513fd4fc', eventType: 'payment.created' },
      { name: 'signed for another URL', secrets: [key], options: { notificationUrl: url + '2' }, headers: { 'x-square-hmacsha256-signature': sig }, body,
        receivedAtMillis: 1700000000000, expect: 'invalid_signature' },
    ] });
}
// ---------------- 2025-2026 changes of today's providers
{
  // Stripe thin events: a v2.core.event notification, signed by the SDK and parsed by its own parseEventNotification
  const Stripe = require('stripe');
  const stripe = new Stripe('sk_test_hookline');
  const secret = 'whsec_thin_event_secret_0123456789';
  const thin = JSON.stringify({ id: 'evt_test_65R9Ijk8wRDqbHqkrbf16R1jEO', object: 'v2.core.event',
    type: 'v1.billing.meter.error_report_triggered', livemode: false, created: '2025-11-14T22:13:20.000Z',
    related_object: { id: 'mtr_test_61R9IjkSa4JZgJYz441J65PEIRmKC', type: 'billing.meter', url: '/v1/billing/meters/mtr_test_61R9IjkSa4JZgJYz441J65PEIRmKC' } });
  const ts = 1700000000;
  const header = stripe.webhooks.generateTestHeaderString({ payload: thin, secret, timestamp: ts });
  const notification = stripe.parseEventNotification(thin, header, secret, 300, undefined, ts);
  must(notification.id === 'evt_test_65R9Ijk8wRDqbHqkrbf16R1jEO' && notification.type === 'v1.billing.meter.error_report_triggered', 'stripe thin event');
  write('stripe-thin', { scheme: 'stripe',
    origin: `stripe ${version('stripe')} (npm) webhooks.generateTestHeaderString, the notification parsed back with its parseEventNotification (id and type checked); https://docs.stripe.com/event-destinations#thin-payload`,
    cases: [
      { name: 'v2.core.event thin event', secrets: [secret], wrongSecrets: [otherSecret(secret)], headers: { 'Stripe-Signature': header }, body: thin,
        tamperedBody: tamper(thin), receivedAtMillis: ts * 1000, expect: 'accepted', eventId: notification.id, eventType: notification.type },
    ] });

  // Shopify's un-prefixed headers and event id, as Shopify documents them (HMAC computed the documented way)
  const shop = 'hush-shopify-client-secret';
  const order = JSON.stringify({ id: 820982911946154500, email: 'jon@example.com', total_price: '199.00' });
  const sig = hmac('sha256', shop, order, 'base64');
  write('shopify-2025', { scheme: 'shopify',
    origin: `node ${process.version} crypto.createHmac('sha256', secret) of the body, base64 (Shopify's documented verification) with the un-prefixed shopify-* headers and shopify-event-id: https://shopify.dev/docs/apps/build/webhooks/subscribe/https`,
    cases: [
      { name: 'un-prefixed headers with an event id', secrets: [shop], wrongSecrets: [otherSecret(shop)],
        headers: { 'shopify-hmac-sha256': sig, 'shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', 'shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5', 'shopify-topic': 'orders/create' },
        body: order, tamperedBody: tamper(order), receivedAtMillis: 1700000000000, expect: 'accepted', eventId: '98880550-7158-44d4-b7cd-2c97c8a091b5', eventType: 'orders/create' },
      { name: 'un-prefixed headers without an event id: the webhook id', secrets: [shop], wrongSecrets: [otherSecret(shop)],
        headers: { 'shopify-hmac-sha256': sig, 'shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', 'shopify-topic': 'orders/create' },
        body: order, tamperedBody: tamper(order), receivedAtMillis: 1700000000000, expect: 'accepted', eventId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', eventType: 'orders/create' },
      { name: 'prefixed headers with X-Shopify-Event-Id', secrets: [shop],
        headers: { 'X-Shopify-Hmac-Sha256': sig, 'X-Shopify-Webhook-Id': 'w1', 'X-Shopify-Event-Id': 'e1', 'X-Shopify-Topic': 'orders/create' },
        body: order, receivedAtMillis: 1700000000000, expect: 'accepted', eventId: 'e1', eventType: 'orders/create' },
    ] });
}
})().catch((e) => { console.error(e); process.exit(1); });

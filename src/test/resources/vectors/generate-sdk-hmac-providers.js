// Generates vectors for the HMAC-family providers that publish an official SDK which signs or
// verifies webhooks: svix, clerk, resend, razorpay, mux, box, coinbase, linear. Each accepted case
// is signed by the SDK where it can sign (svix) and otherwise by Node's crypto as the provider
// documents, then VERIFIED BY THE SDK, whose verdict on the tampered body and the wrong secret must
// be "refused" too; the generator throws rather than write a case the SDK judges differently.
// The SDKs that check a timestamp read Date.now(): it is pinned to the vectors' arrival time, so the
// files do not change when re-generated.
const fs = require('fs');
const crypto = require('crypto');
const out = process.argv[2];
const version = (p) => JSON.parse(fs.readFileSync(require.resolve(p).replace(/(node_modules\/(@[^/]+\/)?[^/]+)\/.*$/, '$1/package.json'))).version;
const write = (name, obj) => fs.writeFileSync(`${out}/${name}.json`, JSON.stringify(obj, null, 2) + '\n');
const must = (ok, what) => { if (!ok) throw new Error('SDK disagrees: ' + what); };
const hmac = (alg, key, data, enc) => crypto.createHmac(alg, key).update(data).digest(enc);
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
const TS = 1700000000;
const realNow = Date.now;
const at = (seconds) => { Date.now = () => seconds * 1000; };
// true when the SDK accepts (sync or async; a throw or false means refused)
const accepts = async (f) => { try { const r = await f(); return r !== false; } catch (e) { return false; } };

(async () => {
// ---------------- svix, clerk, resend: Standard Webhooks with svix-* headers
{
  const { Webhook } = require('svix');
  const { verifyWebhook } = require('@clerk/backend/webhooks');
  const { Resend } = require('resend');
  const resend = new Resend('re_generator_unused');
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const wrong = 'whsec_' + Buffer.alloc(24, 3).toString('base64');
  const wrong2 = 'whsec_' + Buffer.alloc(24, 4).toString('base64');
  const sdks = {
    svix: (s, h, body) => new Webhook(s).verify(body, h),
    clerk: (s, h, body) => verifyWebhook(new Request('https://hooks.example.com/webhooks/clerk', { method: 'POST', headers: h, body }), { signingSecret: s }),
    resend: (s, h, body) => resend.webhooks.verify({ payload: body, headers: { id: h['svix-id'], timestamp: h['svix-timestamp'], signature: h['svix-signature'] }, webhookSecret: s }),
  };
  const bodies = {
    svix: JSON.stringify({ type: 'invoice.paid', data: { id: 'inv_1', amount: 1200 } }),
    clerk: JSON.stringify({ data: { id: 'user_29w83sxmDNGwOuEthce5gg56FcC', object: 'user', first_name: 'Ada' }, object: 'event', type: 'user.created', timestamp: 1654012591835 }),
    resend: JSON.stringify({ type: 'email.delivered', created_at: '2023-11-14T22:13:20.000Z', data: { email_id: '4ef9a417-02e9-4d39-ad75-9611e0fcc33c', to: ['a@example.com'] } }),
  };
  const pkg = { svix: 'svix', clerk: '@clerk/backend', resend: 'resend' };
  for (const name of ['svix', 'clerk', 'resend']) {
    const verify = sdks[name];
    const body = bodies[name];
    const msgId = `msg_${name}_2Lh9KRb0pzN4LePd3XiA6h`;
    const sig = new Webhook(secret).sign(msgId, new Date(TS * 1000), body);
    const h = { 'svix-id': msgId, 'svix-timestamp': String(TS), 'svix-signature': sig };
    const type = JSON.parse(body).type;
    at(TS);
    must(await accepts(() => verify(secret, h, body)), name + ' valid');
    must(!(await accepts(() => verify(secret, h, tamper(body)))), name + ' tampered');
    must(!(await accepts(() => verify(wrong, h, body))), name + ' wrong secret');
    const rotated = new Webhook(wrong).sign(msgId, new Date(TS * 1000), body).split(' ')[0] + ' ' + sig;
    must(await accepts(() => verify(secret, { ...h, 'svix-signature': rotated }, body)), name + ' two signatures');
    must(!(await accepts(() => verify(wrong2, { ...h, 'svix-signature': rotated }, body))), name + ' two signatures, wrong secret');
    at(TS + 301);
    must(!(await accepts(() => verify(secret, h, body))), name + ' stale');
    at(TS - 301);
    must(!(await accepts(() => verify(secret, h, body))), name + ' future');
    Date.now = realNow;
    write(name, { scheme: name,
      origin: `signed with svix ${version('svix')} Webhook.sign; every case judged by ${pkg[name]} ${version(pkg[name])} (${name === 'svix' ? 'Webhook.verify' : name === 'clerk' ? 'verifyWebhook from @clerk/backend/webhooks' : 'resend.webhooks.verify'}) with Date.now pinned to the arrival time, tampered body and wrong secret refused by it`,
      cases: [
        { name: `${name} event signed by svix`, secrets: [secret], wrongSecrets: [wrong], headers: h, body, tamperedBody: tamper(body),
          receivedAtMillis: TS * 1000, expect: 'accepted', eventId: msgId, eventType: type },
        { name: 'two signatures, one per secret (rotation)', secrets: [secret], wrongSecrets: [wrong2], headers: { ...h, 'svix-signature': rotated }, body,
          tamperedBody: tamper(body), receivedAtMillis: TS * 1000, expect: 'accepted', eventId: msgId, eventType: type },
        { name: 'stale (301 s)', secrets: [secret], headers: h, body, receivedAtMillis: (TS + 301) * 1000, expect: 'timestamp_out_of_tolerance' },
        { name: 'future (301 s)', secrets: [secret], headers: h, body, receivedAtMillis: (TS - 301) * 1000, expect: 'timestamp_out_of_tolerance' },
      ] });
  }
}

// ---------------- Razorpay: validateWebhookSignature(body, signature, secret)
{
  const Razorpay = require('razorpay');
  const secret = 'rzp_webhook_secret_9f8e7d6c';
  const body = JSON.stringify({ entity: 'event', account_id: 'acc_BFQ7uQEaa7j2z7', event: 'payment.captured', contains: ['payment'],
    payload: { payment: { entity: { id: 'pay_DESlfW9H8K9uqM', amount: 100, currency: 'INR', status: 'captured' } } }, created_at: 1567674606 });
  const sig = hmac('sha256', secret, body, 'hex');
  const v = (s, b, g) => Razorpay.validateWebhookSignature(b, g, s);
  must(await accepts(() => v(secret, body, sig)), 'razorpay valid');
  must(!(await accepts(() => v(secret, tamper(body), sig))), 'razorpay tampered');
  must(!(await accepts(() => v(otherSecret(secret), body, sig))), 'razorpay wrong secret');
  const h = { 'X-Razorpay-Signature': sig, 'X-Razorpay-Event-Id': 'LOTDgfhKvTn3Rq' };
  write('razorpay', { scheme: 'razorpay',
    origin: `node ${process.version} crypto.createHmac('sha256') of the body as Razorpay documents, each judged by razorpay ${version('razorpay')} Razorpay.validateWebhookSignature (tampered body and wrong secret refused by it); https://razorpay.com/docs/webhooks/validate-test/`,
    cases: [
      { name: 'payment.captured', secrets: [secret], wrongSecrets: [otherSecret(secret)], headers: h, body, tamperedBody: tamper(body),
        receivedAtMillis: TS * 1000, expect: 'accepted', eventId: 'LOTDgfhKvTn3Rq', eventType: 'payment.captured' },
    ] });
}

// ---------------- Mux: webhooks.verifySignature(body, headers, secret)
{
  const Mux = require('@mux/mux-node').default || require('@mux/mux-node');
  const mux = new Mux({ tokenId: 'unused', tokenSecret: 'unused' });
  const secret = 'mux_whsec_5e1f0c2a9b8d7e6f';
  const body = JSON.stringify({ type: 'video.asset.ready', object: { type: 'asset', id: 'kcdX01' }, id: '3a56ac3d-33da-4366-855b-f592d898409d',
    environment: { name: 'Production', id: 'j0863n' }, data: { status: 'ready', id: 'kcdX01' }, created_at: '2023-11-14T22:13:20.000Z' });
  const header = (s, t = TS) => `t=${t},v1=${hmac('sha256', s, `${t}.${body}`, 'hex')}`;
  const v = (s, h, b) => mux.webhooks.verifySignature(b, h, s);
  at(TS);
  must(await accepts(() => v(secret, { 'mux-signature': header(secret) }, body)), 'mux valid');
  must(!(await accepts(() => v(secret, { 'mux-signature': header(secret) }, tamper(body)))), 'mux tampered');
  must(!(await accepts(() => v(otherSecret(secret), { 'mux-signature': header(secret) }, body))), 'mux wrong secret');
  at(TS + 301);
  must(!(await accepts(() => v(secret, { 'mux-signature': header(secret) }, body))), 'mux stale');
  Date.now = realNow;
  write('mux', { scheme: 'mux',
    origin: `node ${process.version} crypto.createHmac('sha256') over "t.body" as Mux documents, each judged by @mux/mux-node ${version('@mux/mux-node')} webhooks.verifySignature with Date.now pinned to the arrival time (tampered body, wrong secret and a 301 s old timestamp refused by it); https://www.mux.com/docs/core/verify-webhook-signatures`,
    cases: [
      { name: 'video.asset.ready', secrets: [secret], wrongSecrets: [otherSecret(secret)], headers: { 'Mux-Signature': header(secret) }, body, tamperedBody: tamper(body),
        receivedAtMillis: TS * 1000, expect: 'accepted', eventId: '3a56ac3d-33da-4366-855b-f592d898409d', eventType: 'video.asset.ready' },
      { name: 'stale (301 s)', secrets: [secret], headers: { 'Mux-Signature': header(secret) }, body, receivedAtMillis: (TS + 301) * 1000, expect: 'timestamp_out_of_tolerance' },
    ] });
}

// ---------------- Box: WebhooksManager.validateMessage(body, headers, primaryKey, {secondaryKey, maxAge})
{
  const { WebhooksManager } = require('box-node-sdk/lib/managers/webhooks');
  const primary = 'SamplePrimaryKey';
  const secondary = 'SampleSecondaryKey';
  const ts = new Date(TS * 1000).toISOString().replace('.000Z', '+00:00');
  const body = JSON.stringify({ type: 'webhook_event', id: '0f46a6ca-86bf-44ab-8cf5-f08e1e02876b', created_at: '2023-11-14T14:13:20-08:00',
    trigger: 'FILE.UPLOADED', webhook: { id: '53', type: 'webhook' }, source: { id: '73835521473', type: 'file', name: 'Test-Image-3.png' } });
  const sig = (k) => hmac('sha256', k, body + ts, 'base64');
  const base = { 'box-delivery-id': 'f96bb54b-ee16-4fc5-aa65-8c2d9e5b546f', 'box-delivery-timestamp': ts,
    'box-signature-algorithm': 'HmacSHA256', 'box-signature-version': '1' };
  const both = { ...base, 'box-signature-primary': sig(primary), 'box-signature-secondary': sig(secondary) };
  const onlySecondary = { ...base, 'box-signature-primary': sig('rotated-away'), 'box-signature-secondary': sig(secondary) };
  const v = (h, b, p, s) => WebhooksManager.validateMessage(b, h, p, { secondaryKey: s, maxAge: 600 });
  at(TS);
  must(await accepts(() => v(both, body, primary, secondary)), 'box valid');
  must(!(await accepts(() => v(both, tamper(body), primary, secondary))), 'box tampered');
  must(!(await accepts(() => v(both, body, 'wrong-primary', 'wrong-secondary'))), 'box wrong keys');
  must(await accepts(() => v(onlySecondary, body, primary, secondary)), 'box secondary only');
  at(TS + 601);
  must(!(await accepts(() => v(both, body, primary, secondary))), 'box stale');
  Date.now = realNow;
  const headers = (h) => Object.fromEntries(Object.entries(h).map(([k, x]) => [k.toUpperCase(), x]));
  write('box', { scheme: 'box',
    origin: `node ${process.version} crypto.createHmac('sha256') over body + BOX-DELIVERY-TIMESTAMP as Box documents (fixed test keys), each judged by box-node-sdk ${version('box-node-sdk')} WebhooksManager.validateMessage (maxAge 600) with Date.now pinned to the arrival time (tampered body, wrong keys and a 601 s old delivery refused by it); https://developer.box.com/guides/webhooks/v2/signatures-v2/`,
    cases: [
      { name: 'primary and secondary signatures', secrets: [primary, secondary], wrongSecrets: ['wrong-primary', 'wrong-secondary'], headers: headers(both), body,
        tamperedBody: tamper(body), receivedAtMillis: TS * 1000, expect: 'accepted', eventId: '0f46a6ca-86bf-44ab-8cf5-f08e1e02876b', eventType: 'FILE.UPLOADED' },
      { name: 'primary key rotated: only the secondary matches', secrets: [primary, secondary], wrongSecrets: [primary], headers: headers(onlySecondary), body,
        tamperedBody: tamper(body), receivedAtMillis: TS * 1000, expect: 'accepted', eventId: '0f46a6ca-86bf-44ab-8cf5-f08e1e02876b', eventType: 'FILE.UPLOADED' },
      { name: 'stale (601 s, Box allows 10 min)', secrets: [primary, secondary], headers: headers(both), body, receivedAtMillis: (TS + 601) * 1000, expect: 'timestamp_out_of_tolerance' },
    ] });
}

// ---------------- Coinbase Commerce: Webhook.verifySigHeader(payload, signature, secret)
{
  const { Webhook } = require('coinbase-commerce-node');
  const secret = 'cc-shared-secret-1b2c3d4e';
  const body = JSON.stringify({ id: 1, scheduled_for: '2023-11-14T22:13:20Z', event: { id: '24934862-d980-46cb-9402-43c81b0cdba6',
    resource: 'event', type: 'charge:confirmed', api_version: '2018-03-22', created_at: '2023-11-14T22:13:20Z', data: { code: '66BEOV2A' } } });
  const sig = hmac('sha256', secret, body, 'hex');
  const v = (s, b, g) => Webhook.verifySigHeader(b, g, s);
  must(await accepts(() => v(secret, body, sig)), 'coinbase valid');
  must(!(await accepts(() => v(secret, tamper(body), sig))), 'coinbase tampered');
  must(!(await accepts(() => v(otherSecret(secret), body, sig))), 'coinbase wrong secret');
  write('coinbase', { scheme: 'coinbase',
    origin: `node ${process.version} crypto.createHmac('sha256') of the body as Coinbase Commerce documents, each judged by coinbase-commerce-node ${version('coinbase-commerce-node')} Webhook.verifySigHeader (tampered body and wrong secret refused by it); https://docs.cdp.coinbase.com/commerce/docs/webhooks-security`,
    cases: [
      { name: 'charge:confirmed', secrets: [secret], wrongSecrets: [otherSecret(secret)], headers: { 'X-CC-Webhook-Signature': sig }, body, tamperedBody: tamper(body),
        receivedAtMillis: TS * 1000, expect: 'accepted', eventId: '24934862-d980-46cb-9402-43c81b0cdba6', eventType: 'charge:confirmed' },
    ] });
}

// ---------------- Linear: new LinearWebhooks(secret).verify(rawBody, signature)
{
  const { LinearWebhooks } = require('@linear/sdk');
  const secret = 'lin_wh_9a8b7c6d5e4f3a2b1c0d';
  const body = JSON.stringify({ action: 'create', type: 'Issue', organizationId: 'org_1', webhookTimestamp: TS * 1000,
    webhookId: '000042e3-d123-4980-b49f-8e140eef9329', data: { id: 'iss_1', title: 'Hello' }, url: 'https://linear.app/issue/LIN-1' });
  const sig = hmac('sha256', secret, body, 'hex');
  const v = (s, b, g) => new LinearWebhooks(s).verify(Buffer.from(b), g);
  at(TS);
  must(await accepts(() => v(secret, body, sig)), 'linear valid');
  must(!(await accepts(() => v(secret, tamper(body), sig))), 'linear tampered');
  must(!(await accepts(() => v(otherSecret(secret), body, sig))), 'linear wrong secret');
  at(TS + 61);
  must(!(await accepts(() => v(secret, body, sig))), 'linear stale');
  at(TS - 61);
  must(!(await accepts(() => v(secret, body, sig))), 'linear future');
  Date.now = realNow;
  const h = { 'Linear-Signature': sig, 'Linear-Delivery': '234d1a4e-b617-4388-90fe-adc3633d6b72', 'Linear-Event': 'Issue' };
  write('linear', { scheme: 'linear',
    origin: `node ${process.version} crypto.createHmac('sha256') of the body as Linear documents, each judged by @linear/sdk ${version('@linear/sdk')} LinearWebhooks.verify with Date.now pinned to the arrival time (tampered body, wrong secret and a webhookTimestamp 61 s off either way refused by it); https://linear.app/developers/webhooks#securing-webhooks`,
    cases: [
      { name: 'Issue create', secrets: [secret], wrongSecrets: [otherSecret(secret)], headers: h, body, tamperedBody: tamper(body),
        receivedAtMillis: TS * 1000, expect: 'accepted', eventId: '234d1a4e-b617-4388-90fe-adc3633d6b72', eventType: 'Issue' },
      { name: 'stale webhookTimestamp (61 s)', secrets: [secret], headers: h, body, receivedAtMillis: (TS + 61) * 1000, expect: 'timestamp_out_of_tolerance' },
      { name: 'future webhookTimestamp (61 s)', secrets: [secret], headers: h, body, receivedAtMillis: (TS - 61) * 1000, expect: 'timestamp_out_of_tolerance' },
    ] });
}
})().catch((e) => { console.error(e); process.exit(1); });

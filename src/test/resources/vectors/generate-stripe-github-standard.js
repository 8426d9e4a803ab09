// Generates Hookline's verifier fixtures from the providers' own SDKs / node crypto.
const fs = require('fs');
const crypto = require('crypto');
const Stripe = require('stripe');
const { Webhook } = require('standardwebhooks');
const out = process.argv[2];
const stripe = new Stripe('sk_test_dummy');

function write(name, obj) {
  fs.writeFileSync(`${out}/${name}.json`, JSON.stringify(obj, null, 2) + '\n');
}

// ---------------- Stripe
{
  const secret = 'whsec_test_hookline_0123456789abcdef';
  const secret2 = 'whsec_test_hookline_rotated_fedcba9876543210';
  const body = JSON.stringify({ id: 'evt_1NG8Du2eZvKYlo2CUI79vXWy', object: 'event', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1', amount: 2000 } } }, null, 2);
  const t = 1700000000;
  const h1 = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: t });
  const h2 = stripe.webhooks.generateTestHeaderString({ payload: body, secret: secret2, timestamp: t });
  // Check with the SDK's own verifier (tolerance check relative to a fixed clock is ours; the SDK uses Date.now()).
  stripe.webhooks.signature.verifyHeader(body, h1, secret, 1e12);
  const sig2 = h2.split(',').find(x => x.startsWith('v1='));
  const rotated = h1 + ',' + sig2;
  stripe.webhooks.signature.verifyHeader(body, rotated, secret2, 1e12);
  write('stripe', {
    scheme: 'stripe',
    generator: `stripe-node ${JSON.parse(fs.readFileSync('node_modules/stripe/package.json')).version} webhooks.generateTestHeaderString, checked with webhooks.signature.verifyHeader`,
    cases: [
      { name: 'sdk header', secrets: [secret], headers: { 'Stripe-Signature': h1 }, body, receivedAtMillis: t * 1000 + 10000,
        expect: 'accepted', eventId: 'evt_1NG8Du2eZvKYlo2CUI79vXWy', eventType: 'payment_intent.succeeded' },
      { name: 'two v1 during roll, second secret configured', secrets: [secret2], headers: { 'Stripe-Signature': rotated }, body, receivedAtMillis: t * 1000,
        expect: 'accepted', eventId: 'evt_1NG8Du2eZvKYlo2CUI79vXWy', eventType: 'payment_intent.succeeded' },
      { name: 'wrong secret', secrets: ['whsec_other'], headers: { 'Stripe-Signature': h1 }, body, receivedAtMillis: t * 1000,
        expect: 'invalid_signature' },
      { name: 'stale', secrets: [secret], headers: { 'Stripe-Signature': h1 }, body, receivedAtMillis: (t + 301) * 1000,
        expect: 'timestamp_out_of_tolerance' },
      { name: 'tampered body', secrets: [secret], headers: { 'Stripe-Signature': h1 }, body: body + ' ', receivedAtMillis: t * 1000,
        expect: 'invalid_signature' },
    ],
  });
}

// ---------------- GitHub (docs vector + node crypto)
{
  const docsSecret = "It's a Secret to Everybody";
  const docsBody = 'Hello, World!';
  const docsSig = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
  const computed = 'sha256=' + crypto.createHmac('sha256', docsSecret).update(docsBody).digest('hex');
  if (computed !== docsSig) throw new Error('GitHub docs vector mismatch: ' + computed);
  const secret = 'gh-hookline-secret';
  const body = JSON.stringify({ zen: 'Design for failure.', hook_id: 1 });
  const sig = 'sha256=' + crypto.createHmac('sha256', secret).update(body).digest('hex');
  write('github', {
    scheme: 'github',
    generator: `GitHub docs example (checked against node ${process.version} crypto.createHmac) plus node crypto.createHmac('sha256')`,
    cases: [
      { name: 'GitHub docs example', secrets: [docsSecret], headers: { 'X-Hub-Signature-256': docsSig, 'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'X-GitHub-Event': 'push' },
        body: docsBody, receivedAtMillis: 1700000000000, expect: 'accepted', eventId: '72d3162e-cc78-11e3-81ab-4c9367dc0958', eventType: 'push' },
      { name: 'ping', secrets: [secret], headers: { 'X-Hub-Signature-256': sig, 'X-GitHub-Delivery': 'd1', 'X-GitHub-Event': 'ping' },
        body, receivedAtMillis: 1700000000000, expect: 'accepted', eventId: 'd1', eventType: 'ping' },
      { name: 'uppercase hex still the same signature', secrets: [docsSecret], headers: { 'X-Hub-Signature-256': 'sha256=' + docsSig.slice(7).toUpperCase() },
        body: docsBody, receivedAtMillis: 1700000000000, expect: 'accepted' },
      { name: 'wrong secret', secrets: ['nope'], headers: { 'X-Hub-Signature-256': docsSig }, body: docsBody, receivedAtMillis: 1700000000000, expect: 'invalid_signature' },
      { name: 'sha1 prefix', secrets: [docsSecret], headers: { 'X-Hub-Signature-256': 'sha1=' + docsSig.slice(7) }, body: docsBody, receivedAtMillis: 1700000000000, expect: 'malformed_signature' },
    ],
  });
}

// ---------------- Standard Webhooks
{
  // The spec's own example, checked with the reference library.
  const specSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const specId = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const specTs = 1614265330;
  const specBody = '{"test": 2432232314}';
  const specSig = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
  const wh = new Webhook(specSecret);
  const signed = wh.sign(specId, new Date(specTs * 1000), specBody);
  if (signed !== specSig) throw new Error('Standard Webhooks spec vector mismatch: ' + signed);

  const secret = 'whsec_' + Buffer.from('hookline-standard-webhooks-key-0123').toString('base64');
  const body = JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1' } });
  const id = 'msg_2Kx9ZyQ';
  const ts = 1700000000;
  const sig = new Webhook(secret).sign(id, new Date(ts * 1000), body);
  const secret2 = 'whsec_' + Buffer.from('second-key-for-rotation-0123456789').toString('base64');
  const sig2 = new Webhook(secret2).sign(id, new Date(ts * 1000), body);
  // v1a: Ed25519 over the same signed content, made with node's crypto.
  const seed = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
  const privateKey = crypto.createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const rawPublic = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(12);
  const edSig = crypto.sign(null, Buffer.from(`${id}.${ts}.${body}`), privateKey).toString('base64');
  const whpk = 'whpk_' + rawPublic.toString('base64');
  if (!crypto.verify(null, Buffer.from(`${id}.${ts}.${body}`), crypto.createPublicKey(privateKey), Buffer.from(edSig, 'base64'))) throw new Error('ed25519');
  const headers = (s) => ({ 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': s });
  write('standard', {
    scheme: 'standard',
    generator: `standardwebhooks ${JSON.parse(fs.readFileSync('node_modules/standardwebhooks/package.json')).version} (npm) Webhook.sign for v1; node ${process.version} crypto.sign(null, ...) with an Ed25519 key (RFC 8032 test 1 seed) for v1a`,
    cases: [
      { name: 'Standard Webhooks spec example', secrets: [specSecret], headers: { 'webhook-id': specId, 'webhook-timestamp': String(specTs), 'webhook-signature': specSig },
        body: specBody, receivedAtMillis: specTs * 1000, expect: 'accepted', eventId: specId },
      { name: 'svix-branded headers', secrets: [specSecret], headers: { 'svix-id': specId, 'svix-timestamp': String(specTs), 'svix-signature': specSig },
        body: specBody, receivedAtMillis: specTs * 1000, expect: 'accepted', eventId: specId },
      { name: 'library signature', secrets: [secret], headers: headers(sig), body, receivedAtMillis: ts * 1000, expect: 'accepted', eventId: id, eventType: 'invoice.paid' },
      { name: 'several signatures, second matches', secrets: [secret2], headers: headers(`${sig} ${sig2}`), body, receivedAtMillis: ts * 1000, expect: 'accepted', eventId: id, eventType: 'invoice.paid' },
      { name: 'v1a Ed25519', secrets: [whpk], headers: headers(`v1a,${edSig}`), body, receivedAtMillis: ts * 1000, expect: 'accepted', eventId: id, eventType: 'invoice.paid' },
      { name: 'v1a and v1 mixed, HMAC key configured', secrets: [secret], headers: headers(`v1a,${edSig} ${sig}`), body, receivedAtMillis: ts * 1000, expect: 'accepted', eventId: id, eventType: 'invoice.paid' },
      { name: 'v1a tampered body', secrets: [whpk], headers: headers(`v1a,${edSig}`), body: body.replace('in_1', 'in_2'), receivedAtMillis: ts * 1000, expect: 'invalid_signature' },
      { name: 'future timestamp', secrets: [secret], headers: headers(sig), body, receivedAtMillis: (ts - 301) * 1000, expect: 'timestamp_out_of_tolerance' },
      { name: 'wrong key', secrets: [secret2], headers: headers(sig), body, receivedAtMillis: ts * 1000, expect: 'invalid_signature' },
    ],
  });
}

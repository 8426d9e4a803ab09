// Validates the manifests in this directory against the Kubernetes JSON schemas of the npm package
// kubernetes-models (ajv: types, enums and required fields; the schemas allow unknown fields), since no
// Kubernetes cluster runs here:
//   npm install --prefix deploy/target/k8s-validate kubernetes-models@5.1.0 js-yaml@4
//   node deploy/k8s/validate.mjs [FILE.yaml ...]   (deploy/container/test.sh does both)
// Without arguments: every *.yaml here but kustomization.yaml. Exit status 1 and one line per error
// when a manifest does not validate (test.sh also feeds it a broken one to check that it fails).
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = resolve(process.env.NODE_PATH || join(here, "..", "target", "k8s-validate", "node_modules"));
const require = createRequire(join(modules, "noop.js"));
const yaml = require("js-yaml");

const files = process.argv.length > 2
  ? process.argv.slice(2)
  : readdirSync(here).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml").sort().map((f) => join(here, f));
let failed = 0;
let checked = 0;
for (const path of files) {
  const file = basename(path);
  for (const doc of yaml.loadAll(readFileSync(path, "utf8"))) {
    if (!doc) continue;
    const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : [null, doc.apiVersion];
    const models = await import(join(modules, "kubernetes-models", group ? group : "", version, "index.js"));
    const Model = models[doc.kind];
    if (!Model) {
      console.log(`${file}: ${doc.apiVersion} ${doc.kind}: no schema in kubernetes-models`);
      failed++;
      continue;
    }
    try {
      new Model(doc).validate();
      console.log(`${file}: ${doc.apiVersion} ${doc.kind} ${doc.metadata.name}: valid`);
      checked++;
    } catch (e) {
      console.log(`${file}: ${doc.apiVersion} ${doc.kind} ${doc.metadata?.name}: ${e.message}`);
      failed++;
    }
  }
}
console.log(`${checked} valid, ${failed} invalid`);
process.exit(failed ? 1 : 0);

// Validates the manifests in this directory against the Kubernetes JSON schemas of the npm package
// kubernetes-models (ajv: types, enums and required fields; the schemas allow unknown fields), since no
// Kubernetes cluster runs here:
//   npm install --prefix deploy/target/k8s-validate kubernetes-models@5.1.0 js-yaml@4
//   node deploy/k8s/validate.mjs   (deploy/container/test.sh does both)
// Exit status 1 and one line per error when a manifest does not validate.
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = process.env.NODE_PATH || join(here, "..", "target", "k8s-validate", "node_modules");
const require = createRequire(join(modules, "noop.js"));
const yaml = require("js-yaml");

let failed = 0;
let checked = 0;
for (const file of readdirSync(here).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml").sort()) {
  for (const doc of yaml.loadAll(readFileSync(join(here, file), "utf8"))) {
    if (!doc) continue;
    const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : [null, doc.apiVersion];
    const path = join(modules, "kubernetes-models", group ? group : "", version, "index.js");
    const models = await import(path);
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

// Kubernetes manifests against the Kubernetes API's schemas, for t1800-containers.sh.
//
//   node k8s-validate.mjs NODE_MODULES MANIFESTS.json
//
// MANIFESTS.json: [{"where": "docs/k8s/x.yaml#1", "doc": {...}}, ...] (the YAML documents,
// converted by the caller). NODE_MODULES holds kubernetes-models and typescript. Two checks,
// both from kubernetes-models, which is generated from the Kubernetes OpenAPI schemas:
//   1. its validator for the object's apiVersion and kind (those schemas compiled with ajv):
//      types, enums, formats and required fields;
//   2. the TypeScript compiler over its interfaces: each object as a literal of type I<Kind>,
//      so that a field the schemas do not name (a misspelt `backofLimit`) is an error. The
//      OpenAPI schemas allow unknown fields (the API server drops them, or rejects them with
//      strict field validation), so check 1 alone lets them through.
// Prints `where: path: message` for each problem and exits 1 if there is any.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [nodeModules, input] = process.argv.slice(2);
const manifests = JSON.parse(readFileSync(input, "utf8"));
const ts = createRequire(path.join(nodeModules, "noop.js"))("typescript");
let problems = 0;

function report(where, at, message) {
    console.log(`${where}: ${at || "(top)"}: ${message}`);
    problems++;
}

// apiVersion batch/v1, kind Job -> kubernetes-models/batch/v1/Job (core group: v1/ConfigMap)
const modelOf = (doc) => `kubernetes-models/${doc.apiVersion}/${doc.kind}`;

// 1. the schema validators
const known = [];
for (const [i, m] of manifests.entries()) {
    let model;
    try {
        model = await import(pathToFileURL(path.join(nodeModules, modelOf(m.doc) + ".js")));
    } catch {
        report(m.where, "", `no Kubernetes schema for apiVersion ${m.doc.apiVersion}, kind ${m.doc.kind}`);
        continue;
    }
    known.push(i);
    try {
        new model[m.doc.kind](m.doc).validate();
    } catch (e) {
        report(m.where, "", e.message);
    }
}

// 2. the interfaces: one module with `const m<i>: I<Kind> = <object>;` per known manifest,
// placed beside node_modules so that its imports resolve there
const file = path.join(nodeModules, "..", "mg-manifests.mts");
const text = known.map((i) => {
    const d = manifests[i].doc;
    return `import type { I${d.kind} as T${i} } from "${modelOf(d)}";\n` +
        `export const m${i}: T${i} = ${JSON.stringify(d, null, 2)};\n`;
}).join("");
const options = {
    strict: true, noEmit: true, skipLibCheck: true, types: [], lib: ["lib.es2022.d.ts"],
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
};
const host = ts.createCompilerHost(options);
const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
const getSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (name, ...rest) => (name === file ? source : getSourceFile(name, ...rest));
const fileExists = host.fileExists.bind(host);
host.fileExists = (name) => name === file || fileExists(name);
const program = ts.createProgram([file], options, host);

// the manifest and the field path of a position in the generated module
function locate(pos) {
    let node = source;
    const visit = (n) => {
        if (pos >= n.getStart(source) && pos < n.getEnd()) {
            node = n;
            ts.forEachChild(n, visit);
        }
    };
    ts.forEachChild(source, visit);
    const at = [];
    for (let n = node; n; n = n.parent) {
        if (ts.isPropertyAssignment(n))
            at.unshift(n.name.text);
        else if (n.parent && ts.isArrayLiteralExpression(n.parent))
            at.unshift(String(n.parent.elements.indexOf(n)));
        else if (ts.isVariableDeclaration(n))
            return { where: manifests[Number(n.name.text.slice(1))].where, at: at.join(".") };
    }
    return { where: file, at: "" };
}

for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (d.file === source && d.start !== undefined) {
        const { where, at } = locate(d.start);
        report(where, at, message);
    } else {
        report(d.file ? d.file.fileName : "typescript", "", message);
    }
}
process.exit(problems ? 1 : 0);

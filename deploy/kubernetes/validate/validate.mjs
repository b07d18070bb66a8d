// Renders every overlay (and each overlay with the optional components) with `kubectl kustomize` and validates every
// object against the Kubernetes schemas of kubernetes-models, offline; then checks what the deployment promises:
// the restricted pod security context and the health probes. Exits 1 on the first overlay with a problem.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const overlays = ["overlays/single-sqlite", "overlays/replicas-postgresql"];
const components = ["components/ingress", "components/servicemonitor"];

function render(directory) {
  return parseAllDocuments(execFileSync("kubectl", ["kustomize", "--load-restrictor", "LoadRestrictionsNone", directory], { encoding: "utf8" }))
    .map((d) => d.toJSON())
    .filter(Boolean);
}

async function model(object) {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : [null, object.apiVersion];
  const pkg = group === "monitoring.coreos.com" ? "@kubernetes-models/prometheus-operator" : "kubernetes-models";
  const path = group ? `${pkg}/${group}/${version}/${object.kind}` : `${pkg}/${version}/${object.kind}`;
  return (await import(path))[object.kind];
}

function checkPod(name, spec, problems) {
  const pod = spec.securityContext ?? {};
  if (pod.runAsNonRoot !== true) problems.push(`${name}: pod securityContext.runAsNonRoot must be true`);
  if (pod.seccompProfile?.type !== "RuntimeDefault") problems.push(`${name}: pod seccompProfile must be RuntimeDefault`);
  for (const c of spec.containers) {
    const s = c.securityContext ?? {};
    if (s.readOnlyRootFilesystem !== true) problems.push(`${name}/${c.name}: readOnlyRootFilesystem must be true`);
    if (s.allowPrivilegeEscalation !== false) problems.push(`${name}/${c.name}: allowPrivilegeEscalation must be false`);
    if (!(s.capabilities?.drop ?? []).includes("ALL")) problems.push(`${name}/${c.name}: capabilities must drop ALL`);
    if (c.livenessProbe?.httpGet?.path !== "/health/live") problems.push(`${name}/${c.name}: liveness probe must ask /health/live`);
    if (c.readinessProbe?.httpGet?.path !== "/health/ready") problems.push(`${name}/${c.name}: readiness probe must ask /health/ready`);
    if (!c.startupProbe) problems.push(`${name}/${c.name}: a startup probe is missing`);
    if (!c.resources?.requests?.cpu) problems.push(`${name}/${c.name}: a CPU request is missing (the HPA scales on it)`);
    const mounted = new Set((c.volumeMounts ?? []).map((m) => m.name));
    for (const v of spec.volumes ?? []) if (!mounted.has(v.name)) problems.push(`${name}: volume ${v.name} is not mounted`);
  }
}

let failed = false;
const scratch = mkdtempSync(join(tmpdir(), "otai-kustomize-"));
try {
  const targets = overlays.map((o) => ({ name: o, directory: join(root, o) }));
  for (const overlay of overlays) {
    // The overlay with every optional component, as a user who enables them renders it.
    const directory = join(scratch, overlay.replaceAll("/", "-"));
    execFileSync("mkdir", ["-p", directory]);
    writeFileSync(join(directory, "kustomization.yaml"),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${relative(directory, join(root, overlay))}\n` +
      `components:\n${components.map((c) => `  - ${relative(directory, join(root, c))}`).join("\n")}\n`);
    targets.push({ name: `${overlay} + ${components.join(" + ")}`, directory });
  }

  for (const { name, directory } of targets) {
    const problems = [];
    const objects = render(directory);
    for (const object of objects) {
      const id = `${object.kind}/${object.metadata?.name}`;
      try {
        const Model = await model(object);
        new Model(object).validate();
      } catch (error) {
        problems.push(`${id}: ${error.message}`);
      }

      if (object.kind === "Deployment") checkPod(id, object.spec.template.spec, problems);
    }

    for (const kind of ["Deployment", "Service", "ConfigMap", "PodDisruptionBudget"]) {
      if (!objects.some((o) => o.kind === kind)) problems.push(`no ${kind}`);
    }

    console.log(`${name}: ${objects.length} objects (${objects.map((o) => o.kind).join(", ")}) ${problems.length ? "INVALID" : "valid"}`);
    for (const problem of problems) console.log(`  ${problem}`);
    failed ||= problems.length > 0;
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

process.exit(failed ? 1 : 0);

// The Helm chart must render and every rendered object must be a valid Kubernetes object. No helm binary can be
// installed here, so test/chart/render (Go text/template + sprig, built from Debian's packages) renders it the way
// `helm template` does; kubernetes-models validates each object against the Kubernetes OpenAPI schemas, and ajv
// validates the values files against values.schema.json. Rendered with default values and with a 5-node example.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Service } from 'kubernetes-models/v1';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = new URL('../../', import.meta.url).pathname;
const CHART = join(ROOT, 'charts/op-conductor');
const RENDER = join(ROOT, 'test/chart/bin/render');
const RENDER_TIMEOUT_MS = 120_000;

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
}

function render(valueFiles: string[] = []): K8sObject[] {
  if (!existsSync(RENDER)) {
    execFileSync('bash', [join(ROOT, 'scripts/build-chart-renderer.sh')], {
      stdio: 'inherit',
      timeout: RENDER_TIMEOUT_MS,
    });
  }
  const args = ['-chart', CHART, ...valueFiles.flatMap((f) => ['-f', f])];
  const out = execFileSync(RENDER, args, { encoding: 'utf8', timeout: RENDER_TIMEOUT_MS });
  return parseAllDocuments(out)
    .map((d) => {
      assert.deepEqual(d.errors, [], 'rendered YAML must parse');
      return d.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

const VALIDATORS: Record<string, (o: K8sObject) => void> = {
  'apps/v1/StatefulSet': (o) => new StatefulSet(o as never).validate(),
  'v1/Service': (o) => new Service(o as never).validate(),
  'policy/v1/PodDisruptionBudget': (o) => new PodDisruptionBudget(o as never).validate(),
  // A CRD kubernetes-models does not carry: check its structure by hand.
  'monitoring.coreos.com/v1/ServiceMonitor': (o) => {
    assert.ok(Array.isArray((o.spec as { endpoints?: unknown }).endpoints), 'ServiceMonitor needs endpoints');
  },
};

function validateAll(objs: K8sObject[]): void {
  for (const o of objs) {
    const v = VALIDATORS[`${o.apiVersion}/${o.kind}`];
    assert.ok(v, `unexpected object ${o.apiVersion}/${o.kind}`);
    v(o);
  }
}

type Container = {
  name: string;
  readinessProbe?: unknown;
  livenessProbe?: { httpGet?: { path?: string } };
  env?: { name: string; value?: string }[];
};
function podSpec(objs: K8sObject[]) {
  const sts = objs.find((o) => o.kind === 'StatefulSet');
  assert.ok(sts);
  return (
    sts.spec as {
      template: {
        spec: {
          containers: Container[];
          initContainers?: Container[];
          securityContext: { runAsNonRoot?: boolean };
          terminationGracePeriodSeconds: number;
        };
      };
    }
  ).template.spec;
}

/** Helm's coalescing of a -f file over values.yaml. */
function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const av = out[k];
    const isObj = (x: unknown): x is Record<string, unknown> =>
      typeof x === 'object' && x !== null && !Array.isArray(x);
    out[k] = isObj(av) && isObj(v) ? deepMerge(av, v) : v;
  }
  return out;
}

test('values files satisfy values.schema.json', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')));
  const defaults = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>;
  assert.ok(validate(defaults), JSON.stringify(validate.errors));
  const five = deepMerge(
    defaults,
    parse(readFileSync(join(CHART, 'ci/five-nodes.yaml'), 'utf8')) as Record<string, unknown>,
  );
  assert.ok(validate(five), JSON.stringify(validate.errors));
  assert.equal(validate({ ...defaults, replicaCount: 0 }), false, 'schema must reject 0 replicas');
  assert.equal(
    validate({ ...defaults, firstBoot: { mode: 'sometimes' } }),
    false,
    'schema must reject an unknown boot mode',
  );
});

test('default values render valid Kubernetes objects', () => {
  const objs = render();
  validateAll(objs);
  const consensus = objs.filter((o) => o.kind === 'Service' && o.metadata.name.includes('-consensus-'));
  assert.equal(consensus.length, 3, 'one stable consensus Service per pod');
  for (const s of objs.filter((o) => o.kind === 'Service')) {
    assert.equal(
      (s.spec as { publishNotReadyAddresses?: boolean }).publishNotReadyAddresses,
      true,
      `${s.metadata.name} publishes not-ready addresses`,
    );
  }
  const pdb = objs.find((o) => o.kind === 'PodDisruptionBudget');
  assert.ok(pdb, 'a PodDisruptionBudget');
  assert.equal((pdb.spec as { maxUnavailable?: number }).maxUnavailable, 1);
  const spec = podSpec(objs);
  assert.equal(spec.securityContext.runAsNonRoot, true);
  assert.ok(spec.terminationGracePeriodSeconds >= 30);
  const conductor = spec.containers.find((c) => c.name === 'op-conductor');
  assert.ok(conductor, 'conductor sidecar present');
  assert.equal(conductor.livenessProbe?.httpGet?.path, '/healthz');
  assert.deepEqual(
    conductor.readinessProbe,
    { tcpSocket: { port: 'rpc' }, periodSeconds: 5 },
    'readiness must not depend on leadership',
  );
  const op = spec.containers.find((c) => c.name === 'op-node') as unknown as { args: string[] };
  assert.ok(op.args.includes('--conductor.enabled=true'));
  assert.ok(op.args.includes('--conductor.rpc=http://127.0.0.1:8547'));
  assert.equal(spec.initContainers, undefined, 'bootstrap-pod mode has no init container');
});

test('5-node example (init mode, op-geth, flashblocks, admin auth, ServiceMonitor) renders valid objects', () => {
  const objs = render([join(CHART, 'ci/five-nodes.yaml')]);
  validateAll(objs);
  assert.equal(objs.filter((o) => o.kind === 'Service' && o.metadata.name.includes('-consensus-')).length, 5);
  assert.ok(objs.some((o) => o.kind === 'ServiceMonitor'));
  const spec = podSpec(objs);
  const init = spec.initContainers?.find((c) => c.name === 'raft-init') as unknown as { args: string[] };
  assert.ok(init, 'init mode writes state with op-conductor-init');
  assert.match(
    init.args[0]!,
    /--server-ids op-conductor-0,op-conductor-1,op-conductor-2,op-conductor-3,op-conductor-4/,
  );
  const env = spec.containers.find((c) => c.name === 'op-conductor')?.env ?? [];
  assert.ok(env.some((e) => e.name === 'OP_CONDUCTOR_ROLLUPBOOST_WS_URL'));
  assert.ok(env.some((e) => e.name === 'OP_CONDUCTOR_RPC_ADMIN_JWT_SECRET'));
  assert.ok(spec.containers.some((c) => c.name === 'op-geth'));
});

test('an invalid object is caught by the validators (the check can fail)', () => {
  const objs = render();
  const sts = structuredClone(objs.find((o) => o.kind === 'StatefulSet')!);
  (sts.spec as { replicas: unknown }).replicas = 'three';
  assert.throws(() => validateAll([sts]));
});

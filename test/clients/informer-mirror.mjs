/**
 * An informer from @kubernetes/client-node, used as its README and examples show, in a Node
 * process of its own (the library is ESM-only; jest runs CommonJS). It talks to the test over
 * JSON lines:
 *
 *   argv: KUBECONFIG NAMESPACE
 *   stdout ◄─ {"event":"started"}                    the first list is in the cache
 *             {"event":"error","message":…}          the informer stopped; it is restarted
 *             {"reply":"mirror", pods:{name:{resourceVersion,labels,annotations}}, stats:{…}}
 *             {"reply":"watch", events:[{type,kind,apiVersion,name,resourceVersion}]}
 *   stdin  ─► {"ask":"mirror"}                       what the cache holds now
 *             {"ask":"watch","resourceVersion":RV,"until":"BOOKMARK"|N}
 *                                                    a bare Watch with allowWatchBookmarks=true
 *                                                    from RV, until a bookmark or N other events
 *             {"ask":"stop"} / {"ask":"start"}        informer.stop() / informer.start() (which
 *                                                    watches again from the version it had)
 */
import readline from 'node:readline';
import * as k8s from '@kubernetes/client-node';

const [kubeconfigFile, namespace] = process.argv.slice(2);
const kc = new k8s.KubeConfig();
kc.loadFromFile(kubeconfigFile);
const core = kc.makeApiClient(k8s.CoreV1Api);

const say = (message) => process.stdout.write(JSON.stringify(message) + '\n');

const stats = { lists: 0, connects: 0, errors: 0, adds: 0, updates: 0, deletes: 0 };
/** Names whose delete the informer reported, in order (a relist reports the ones it finds gone). */
const deleted = [];

const listFn = () => {
  stats.lists++;
  return core.listNamespacedPod({ namespace });
};
const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${namespace}/pods`, listFn);

informer.on('add', () => stats.adds++);
informer.on('update', () => stats.updates++);
informer.on('delete', (pod) => {
  stats.deletes++;
  deleted.push(pod.metadata.name);
});
informer.on('connect', () => stats.connects++);

// The informer stops on any error but a 410; the library's examples restart it after a pause
// (5 s there; short here so a server restart costs the test little). Not when we stopped it:
// stopping aborts the watch, which the informer reports as an error too.
let restart;
let stopped = false;
informer.on('error', (err) => {
  if (stopped) return;
  stats.errors++;
  say({ event: 'error', message: String(err?.message ?? err), code: err?.code ?? err?.statusCode });
  if (restart) return;
  restart = setTimeout(() => {
    restart = undefined;
    informer.start().catch((e) => say({ event: 'error', message: `start: ${e?.message ?? e}` }));
  }, 250);
});

function mirror() {
  const pods = {};
  for (const pod of informer.list(namespace)) {
    pods[pod.metadata.name] = {
      resourceVersion: pod.metadata.resourceVersion,
      labels: pod.metadata.labels ?? {},
      annotations: pod.metadata.annotations ?? {},
    };
  }
  return { reply: 'mirror', pods, deleted, stats, resourceVersion: informer.latestResourceVersion() };
}

/** A bare Watch, as the library's Watch class is documented, with bookmarks asked for. */
function watchOnce({ resourceVersion, until }) {
  const events = [];
  let request;
  let finished = false;
  const finish = (err) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    request?.abort();
    say({ reply: 'watch', events, ...(err ? { error: String(err.message ?? err) } : {}) });
  };
  const timer = setTimeout(() => finish(new Error('no bookmark or enough events in 15 s')), 15000);
  const seen = (type, object) => {
    const { name, resourceVersion: version } = object.metadata ?? {};
    events.push({ type, kind: object.kind, apiVersion: object.apiVersion, name, resourceVersion: version });
    const changes = events.filter((e) => e.type !== 'BOOKMARK').length;
    if ((until === 'BOOKMARK' && type === 'BOOKMARK') || (typeof until === 'number' && changes >= until)) finish();
  };
  new k8s.Watch(kc)
    .watch(`/api/v1/namespaces/${namespace}/pods`, { allowWatchBookmarks: true, resourceVersion }, seen, (err) => finish(err ?? new Error('the watch ended')))
    .then((r) => {
      request = r;
      if (finished) r.abort();
    });
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (!line.trim()) return;
  const ask = JSON.parse(line);
  switch (ask.ask) {
    case 'mirror':
      return say(mirror());
    case 'watch':
      return watchOnce(ask);
    case 'stop':
      stopped = true;
      return void informer.stop().then(() => say({ reply: 'stop' }));
    case 'start':
      stopped = false;
      return void informer.start().then(() => say({ reply: 'start' }));
    default:
      say({ event: 'error', message: `unknown ask ${line}` });
  }
});
// The test closes stdin to end this process.
process.stdin.on('end', () => process.exit(0));

informer.start().then(
  () => say({ event: 'started' }),
  (e) => say({ event: 'error', message: `first start: ${e?.message ?? e}` }),
);

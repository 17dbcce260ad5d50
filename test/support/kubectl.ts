/**
 * The real kubectl against a test API server, for any test: a temp HOME (kubectl keeps its
 * discovery and OpenAPI caches in ~/.kube/cache) and a kubeconfig pointing at the server.
 *
 *   const kubectl = new Kubectl(api.url);
 *   const { code, stdout, stderr } = await kubectl.run(['apply', '-f', '-'], { stdin: manifest });
 *   kubectl.dispose();
 *
 * The one implementation lives beside the kubectl tests (test/kubectl/session.ts); this is the
 * name the rest of the tests import it by.
 */
export { KubectlSession as Kubectl, tableRows } from '../kubectl/session';
export type { BackgroundKubectl, KubectlRun, SessionOptions } from '../kubectl/session';

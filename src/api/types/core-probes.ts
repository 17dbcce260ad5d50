/** core/v1 probes and lifecycle hooks: exec, httpGet, tcpSocket, grpc and sleep actions. */
import * as t from 'io-ts';
import { atomicList, described, enumOf, struct } from '../codecs';
import { int32, int64, intOrString } from '../scalars';

export const ExecAction = struct(
  'ExecAction',
  {},
  { command: described(atomicList(t.string), 'Command line to run in the container, not in a shell; exit 0 is healthy.') },
);

export const HTTPHeader = struct('HTTPHeader', {
  name: described(t.string, 'Header field name.'),
  value: described(t.string, 'Header field value.'),
});

export const URIScheme = enumOf('URIScheme', ['HTTP', 'HTTPS']);

export const HTTPGetAction = struct(
  'HTTPGetAction',
  { port: described(intOrString, 'Number or name of the port to access on the container.') },
  {
    path: described(t.string, 'Path to access on the HTTP server.'),
    host: described(t.string, 'Host name to connect to, defaults to the pod IP.'),
    scheme: described(URIScheme, 'Scheme to use for connecting to the host. Defaults to HTTP.'),
    httpHeaders: described(atomicList(HTTPHeader), 'Custom headers to set in the request.'),
  },
);

export const TCPSocketAction = struct(
  'TCPSocketAction',
  { port: described(intOrString, 'Number or name of the port to connect to.') },
  { host: described(t.string, 'Host name to connect to, defaults to the pod IP.') },
);

export const GRPCAction = struct(
  'GRPCAction',
  { port: described(int32, 'Port number of the gRPC service.') },
  { service: described(t.string, 'Service name placed in the gRPC HealthCheckRequest.') },
);

export const SleepAction = struct('SleepAction', { seconds: described(int64, 'Seconds to sleep.') });

/** One of exec, httpGet, tcpSocket or grpc, plus the timing of the checks. */
export const Probe = struct(
  'Probe',
  {},
  {
    exec: described(ExecAction, 'Run a command in the container.'),
    httpGet: described(HTTPGetAction, 'Send an HTTP GET request; 200-399 is healthy.'),
    tcpSocket: described(TCPSocketAction, 'Open a TCP connection.'),
    grpc: described(GRPCAction, 'Call the gRPC health checking protocol.'),
    initialDelaySeconds: described(int32, 'Seconds after the container started before probes begin.'),
    timeoutSeconds: described(int32, 'Seconds after which the probe times out. Defaults to 1.'),
    periodSeconds: described(int32, 'How often (in seconds) to probe. Defaults to 10.'),
    successThreshold: described(int32, 'Consecutive successes for the probe to count as successful after a failure. Defaults to 1.'),
    failureThreshold: described(int32, 'Consecutive failures for the probe to count as failed. Defaults to 3.'),
    terminationGracePeriodSeconds: described(int64, 'Grace period for this container when the probe fails, overriding the pod value.'),
  },
);
export type Probe = t.TypeOf<typeof Probe>;

export const LifecycleHandler = struct(
  'LifecycleHandler',
  {},
  {
    exec: described(ExecAction, 'Run a command in the container.'),
    httpGet: described(HTTPGetAction, 'Send an HTTP GET request.'),
    tcpSocket: described(TCPSocketAction, 'Deprecated; kept for compatibility.'),
    sleep: described(SleepAction, 'Sleep for a while.'),
  },
);

export const Lifecycle = struct(
  'Lifecycle',
  {},
  {
    postStart: described(LifecycleHandler, 'Called right after the container is created; it is restarted if the handler fails.'),
    preStop: described(LifecycleHandler, 'Called before the container is terminated; the grace period covers it.'),
  },
);
export type Lifecycle = t.TypeOf<typeof Lifecycle>;

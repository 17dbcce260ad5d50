/**
 * The runtime's error catalogue. Every runtime (Docker, process, simulated) throws only these, so
 * the pod sync can turn a failure into the waiting reason kubelet would show (ErrImagePull,
 * CreateContainerError, ...) without knowing which runtime it talks to. Each extends the API
 * catalogue class closest in meaning, so a log server can answer with a proper Status.
 */
import { AlreadyExists, BadRequest, InternalError, Invalid, NotFound, Unavailable } from '../../api/errors';

/** The container runtime does not answer (Docker down or restarting). Retry later. */
export class RuntimeUnavailable extends Unavailable {}

/** A container or sandbox the runtime does not know (any more). */
export class ContainerNotFound extends NotFound {}

/** A container name the runtime already holds: a create raced with another, or a leftover. */
export class ContainerNameInUse extends AlreadyExists {}

/** The image is not on the node and the pull policy forbids pulling it (kubelet: ErrImageNeverPull). */
export class ImageNeverPull extends NotFound {
  readonly waitingReason = 'ErrImageNeverPull';
}

/** The image reference cannot be parsed (kubelet: InvalidImageName). */
export class InvalidImageName extends BadRequest {
  readonly waitingReason = 'InvalidImageName';
}

/** The pull was tried and failed: unknown image, registry unreachable, denied (kubelet: ErrImagePull). */
export class ImagePullFailed extends InternalError {
  readonly waitingReason = 'ErrImagePull';
}

/** The runtime refused the container's configuration (kubelet: CreateContainerError). */
export class CreateContainerFailed extends InternalError {
  readonly waitingReason = 'CreateContainerError';
}

/** The container was created but its process could not start (kubelet: RunContainerError). */
export class StartContainerFailed extends InternalError {
  readonly waitingReason = 'RunContainerError';
}

/** The pod's network sandbox could not be set up (kubelet shows it as a sandbox event). */
export class SandboxFailed extends InternalError {
  readonly waitingReason = 'ContainerCreating';
}

/**
 * The container cannot be configured from what the pod refers to: a missing ConfigMap or Secret
 * key, a volume mount without its volume, a privileged container the node does not allow
 * (kubelet: CreateContainerConfigError). Fixed by changing the pod or what it refers to.
 */
export class ContainerConfigError extends Invalid {
  readonly waitingReason = 'CreateContainerConfigError';
}

/** A volume could not be set up; the pod waits in ContainerCreating (kubelet: FailedMount). */
export class VolumeSetupFailed extends InternalError {
  readonly waitingReason = 'ContainerCreating';
}

/** A runtime error that maps to a container waiting reason, with that reason. */
export function waitingReasonOf(error: unknown): string | undefined {
  const reason = (error as { waitingReason?: unknown } | null)?.waitingReason;
  return typeof reason === 'string' ? reason : undefined;
}

/**
 * dockerode, as berth loads it: every file of the project imports Docker from here, so the SSH
 * and gRPC transports it never uses are deferred (deferred-transports.ts) before it loads.
 */
import './deferred-transports';
import Docker from 'dockerode';

export default Docker;

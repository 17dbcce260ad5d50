/**
 * The client and the controller runtime; see README.md for the picture and the vocabulary.
 */
export { addConnectionFlags, connectionFrom, defaultKubeconfigPath } from './connection';
export type { Connection, ConnectionOptions } from './connection';
export { ApiClient, jsonLines } from './api-client';
export type { ApiClientOptions, RequestOptions, WatchEvent, WatchEventType } from './api-client';
export { Client } from './client';
export { kinds, kindRef, keyOf, splitKey, apiVersionOf, parseApiVersion } from './kinds';
export type { KindRef } from './kinds';
export { ResourceClient } from './resource-client';
export type { ApplyOptions, DeleteOptions, ListOptions, LogOptions, ObjectList, PatchOptions, PatchType, WatchOptions, WriteOptions } from './resource-client';
export { ObjectCache, indexes } from './object-cache';
export type { CacheQuery, IndexFunction } from './object-cache';
export { Informer, stripManagedFields } from './informer';
export type { DeleteInfo, EventHandlers, InformerOptions } from './informer';
export { SharedInformerFactory } from './shared-informers';
export type { InformerScope, SharedInformerOptions } from './shared-informers';
export { WorkQueue } from './work-queue';
export { defaultControllerRateLimiter, ExponentialRateLimiter, MaxOfRateLimiter, TokenBucketRateLimiter } from './rate-limiter';
export type { RateLimiter } from './rate-limiter';
export { isTerminal, requeueAfter, TerminalError } from './reconciler';
export type { Reconciler, ReconcileContext, Result } from './reconciler';
export { Controller, controllerOf } from './controller';
export type { ControllerDeclaration, WatchDeclaration } from './controller';
export { Expectations } from './expectations';
export { EventRecorder } from './event-recorder';
export type { EventRecorderOptions, EventType } from './event-recorder';
export { LeaderElector } from './leader-election';
export type { LeaderElectionOptions } from './leader-election';
export { Manager } from './manager';
export type { ControllerFactory, ControllerTools, ManagerOptions } from './manager';
export { controllerRegistry, serveMetrics } from './metrics';

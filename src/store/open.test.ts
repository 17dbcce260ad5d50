import { BadRequest } from '../api/errors';
import { parseStoreSpec } from './open';

describe('parseStoreSpec', () => {
  it.each([
    ['sqlite:/var/lib/berth/state.db', undefined, { sqlite: '/var/lib/berth/state.db' }],
    ['sqlite:state.db', undefined, { sqlite: 'state.db' }],
    ['http://127.0.0.1:2379', undefined, { etcd: ['http://127.0.0.1:2379'] }],
    ['http://10.0.0.1:2379,http://10.0.0.2:2379, http://10.0.0.3:2379', '/prod', { etcd: ['http://10.0.0.1:2379', 'http://10.0.0.2:2379', 'http://10.0.0.3:2379'], prefix: '/prod' }],
    ['https://etcd.example:2379', undefined, { etcd: ['https://etcd.example:2379'] }],
  ])('reads %s', (text, prefix, spec) => {
    expect(parseStoreSpec(text, prefix)).toEqual(spec);
  });

  it.each([
    ['', 'no store given'],
    ['sqlite:', 'needs a file path'],
    ['127.0.0.1:2379', 'is not a URL'],
    ['unix://run/etcd.sock:1', 'must be http:// or https://'],
    ['http://127.0.0.1', 'must be host:port'],
    ['http://127.0.0.1:2379/v3', 'must be host:port'],
    ['etcd', 'is not a URL'],
  ])('refuses %j', (text, message) => {
    expect(() => parseStoreSpec(text)).toThrow(BadRequest);
    expect(() => parseStoreSpec(text)).toThrow(message);
  });
});

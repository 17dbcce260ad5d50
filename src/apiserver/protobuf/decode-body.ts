/**
 * Request bodies in `application/vnd.kubernetes.protobuf`, which kubectl 1.32's typed clients send
 * for POST and PUT: the magic `k8s\0`, then a `runtime.Unknown` envelope
 * `{1: typeMeta {1: apiVersion, 2: kind}, 2: raw, 3: contentEncoding, 4: contentType}` whose `raw`
 * is the object's own message (apimachinery `pkg/runtime/serializer/protobuf`).
 */
import { BadRequest, UnsupportedMediaType } from '../../api/errors';
import type { Obj } from '../../api/object';
import { decodeMessage } from './decode-message';
import { messageForKind, messages } from './kinds';
import { WireReader, WireType } from './wire';

export const protobufContentType = 'application/vnd.kubernetes.protobuf';

const magic = Buffer.from('k8s\0', 'latin1');

interface Envelope {
  apiVersion: string;
  kind: string;
  contentEncoding: string;
  raw: WireReader;
}

function readString(reader: WireReader, wireType: number, tagOffset: number, path: string): string {
  if (wireType !== WireType.LengthDelimited) reader.fail(`field ${path} is not length-delimited`, tagOffset);
  return reader.bytes().toString('utf8');
}

function readEnvelope(body: Buffer): Envelope {
  const reader = WireReader.of(body, 'Unknown', magic.length);
  const envelope: Envelope = { apiVersion: '', kind: '', contentEncoding: '', raw: new WireReader(body, body.length, body.length, 'raw') };
  while (!reader.done) {
    const tag = reader.tag();
    switch (tag.number) {
      case 1: {
        if (tag.wireType !== WireType.LengthDelimited) reader.fail('field Unknown.typeMeta is not length-delimited', tag.offset);
        const typeMeta = reader.window('Unknown.typeMeta');
        while (!typeMeta.done) {
          const inner = typeMeta.tag();
          if (inner.number === 1) envelope.apiVersion = readString(typeMeta, inner.wireType, inner.offset, 'typeMeta.apiVersion');
          else if (inner.number === 2) envelope.kind = readString(typeMeta, inner.wireType, inner.offset, 'typeMeta.kind');
          else typeMeta.skip(inner.wireType, inner.offset);
        }
        break;
      }
      case 2:
        if (tag.wireType !== WireType.LengthDelimited) reader.fail('field Unknown.raw is not length-delimited', tag.offset);
        envelope.raw = reader.window('raw');
        break;
      case 3:
        envelope.contentEncoding = readString(reader, tag.wireType, tag.offset, 'Unknown.contentEncoding');
        break;
      default:
        reader.skip(tag.wireType, tag.offset);
    }
  }
  return envelope;
}

/**
 * Decodes a protobuf request body into the object its JSON encoding would be, with `apiVersion`
 * and `kind` from the envelope. An object kind always has `metadata`; a DeleteOptions body has
 * none, as in JSON, so look at `kind` before relying on it.
 *
 * Throws BadRequest for a body that is not the envelope, or is truncated or malformed (saying at
 * which byte and in which field), and UnsupportedMediaType for a kind without a message table.
 */
export function decodeProtobufBody(body: Buffer): Obj {
  if (body.length < magic.length || !body.subarray(0, magic.length).equals(magic)) {
    throw new BadRequest(`a ${protobufContentType} body must start with the bytes "k8s\\x00"`);
  }
  const envelope = readEnvelope(body);
  if (envelope.contentEncoding !== '') {
    throw new UnsupportedMediaType(`protobuf bodies with contentEncoding "${envelope.contentEncoding}" are not supported`);
  }
  if (envelope.kind === '') throw new BadRequest('the protobuf body names no kind in its typeMeta');
  const spec = messageForKind(envelope.apiVersion, envelope.kind);
  if (spec === undefined) {
    throw new UnsupportedMediaType(
      `the protobuf encoding of ${envelope.apiVersion || '(no apiVersion)'} ${envelope.kind} is not supported; send it as application/json`,
    );
  }
  // The object's own fields are reported as `<Kind>.spec...`.
  const root = new WireReader(body, envelope.raw.offset, envelope.raw.end, envelope.kind);
  const object = decodeMessage(root, spec, messages);
  const withMetadata = spec.byNumber.get(1)?.name === 'metadata' ? { metadata: {}, ...object } : object;
  return { apiVersion: envelope.apiVersion, kind: envelope.kind, ...withMetadata } as Obj;
}

export { decodeProtobufBody, protobufContentType } from './decode-body';
export { decodableKinds } from './kinds';

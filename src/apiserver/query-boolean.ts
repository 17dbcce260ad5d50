/**
 * A boolean query parameter as the Kubernetes API server reads one (apimachinery's
 * Convert_Slice_string_To_bool): absent is undefined; "false" in any case and "0" are false;
 * anything else — "true", "True" (what the Python client sends), "1", even "" — is true.
 */
export function queryBoolean(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  return !(raw === '0' || raw.toLowerCase() === 'false');
}

// A loading/error/data triple for one request, with retry — so pages don't hand-roll it.
//
//   const { data, loading, error, run, retry } = useRequest(() => api.get<Meta>('/meta'))
//
// `run(...args)` starts the request (a newer run supersedes an older one still in flight);
// `retry()` repeats the last run with the same arguments. Errors were already shown to
// the person by api.ts (unless the call handles them itself); here they land in `error`.
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import { ApiError } from './api'

export interface UseRequest<T, A extends unknown[]> {
  data: ShallowRef<T | null>
  error: Ref<ApiError | null>
  loading: Ref<boolean>
  run: (...args: A) => Promise<T | null>
  retry: () => Promise<T | null>
}

export function useRequest<T, A extends unknown[] = []>(
  fn: (...args: A) => Promise<T>,
  opts: { immediate?: boolean; args?: A } = {},
): UseRequest<T, A> {
  const data = shallowRef<T | null>(null)
  const error = ref<ApiError | null>(null) as Ref<ApiError | null>
  const loading = ref(false)
  let lastArgs = (opts.args ?? []) as A
  let seq = 0

  async function run(...args: A): Promise<T | null> {
    lastArgs = args
    const mine = ++seq
    loading.value = true
    error.value = null
    try {
      const result = await fn(...args)
      if (mine === seq) data.value = result
      return result
    } catch (e) {
      if (mine === seq) {
        error.value = e instanceof ApiError ? e : new ApiError(0, 'client', String(e), null, null)
        data.value = null
      }
      return null
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function retry(): Promise<T | null> {
    return run(...lastArgs)
  }

  if (opts.immediate) void run(...lastArgs)
  return { data, error, loading, run, retry }
}

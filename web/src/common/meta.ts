// The platform's own description (GET /api/v1/meta): region name and code, the service
// center's name. Loaded once per page load and shared by portal and workbench.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from './api'
import { SITE_DEFAULTS } from './site'
import type { Meta } from './types'

export const useMetaStore = defineStore('meta', () => {
  const meta = ref<Meta | null>(null)
  const failed = ref(false)
  let loading: Promise<void> | null = null

  function load(): Promise<void> {
    if (meta.value) return Promise.resolve()
    if (!loading) {
      failed.value = false
      loading = api
        .get<Meta>('/meta', { handle: [0, 404, 500, 502, 503, 504] })
        .then((m) => {
          meta.value = m
        })
        .catch(() => {
          failed.value = true
        })
        .finally(() => {
          loading = null
        })
    }
    return loading
  }

  const regionName = computed(() => meta.value?.region.name ?? '')
  /** "益阳市赫山区政务服务网", or a neutral title until meta has answered. */
  const siteTitle = computed(() => (regionName.value ? `${regionName.value}政务服务网` : '政务服务网'))
  const centerName = computed(() => meta.value?.center ?? '')
  const centerAddress = computed(() => meta.value?.center_address ?? SITE_DEFAULTS.centerAddress)
  const hours = computed(() => meta.value?.hours ?? SITE_DEFAULTS.hours)
  const hotline = computed(() => meta.value?.hotline ?? SITE_DEFAULTS.hotline)

  return { meta, failed, load, regionName, siteTitle, centerName, centerAddress, hours, hotline }
})

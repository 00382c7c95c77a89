// 长辈模式 (elderly-friendly mode): larger type, more spacing, stronger contrast.
//
// It is a class on <html> (`ow-elderly`) that styles/base.css keys on, remembered per
// browser in localStorage. applyStoredElderlyMode() runs before the app mounts so the
// first paint is already in the right mode.
import { ref, watch } from 'vue'

const KEY = 'ow.elderly'
const CLASS = 'ow-elderly'

function readStored(): boolean {
  try {
    return localStorage.getItem(KEY) === '1'
  } catch {
    return false
  }
}

const enabled = ref(readStored())

function apply(on: boolean): void {
  document.documentElement.classList.toggle(CLASS, on)
}

export function applyStoredElderlyMode(): void {
  apply(enabled.value)
}

watch(enabled, (on) => {
  apply(on)
  try {
    if (on) localStorage.setItem(KEY, '1')
    else localStorage.removeItem(KEY)
  } catch {
    // No storage (private mode): the mode still applies to this page.
  }
})

export function useElderlyMode() {
  return {
    enabled,
    toggle: () => {
      enabled.value = !enabled.value
    },
  }
}

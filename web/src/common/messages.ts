// The message center's unread count (消息中心, issue 20), shared by the portal's header
// and the workbench's top bar; pages that change it (reading a message) refresh it.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from './api'

export interface Message {
  id: number
  event: string
  title: string
  body: string
  case_id: number | null
  link: string
  created_at: number
  read_at: number | null
}

export const useMessagesStore = defineStore('messages', () => {
  const unread = ref(0)
  /** Quiet: a failed count is no reason to bother anyone; it is asked again on the next page. */
  async function refresh(): Promise<void> {
    try {
      unread.value = (await api.get<{ unread: number }>('/messages/unread', { handle: [0, 401, 403, 404, 429, 500, 502, 503, 504] })).unread
    } catch {
      unread.value = 0
    }
  }
  return { unread, refresh }
})

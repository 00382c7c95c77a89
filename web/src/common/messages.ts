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
  /** The SMS sent with it (null: none): its state, and the gateway's code when it failed. */
  sms: MessageSms | null
}

export interface MessageSms {
  state: 'queued' | 'sent' | 'delivered' | 'failed'
  code: string | null
  detail: string | null
  not_before: number | null
}

/** How an SMS's state reads to its addressee. */
export const SMS_STATE_NAMES: Record<MessageSms['state'], string> = {
  queued: '短信待发送',
  sent: '短信已发出',
  delivered: '短信已送达',
  failed: '短信未送达',
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

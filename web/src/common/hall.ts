// The hall (办事大厅, docs/api.md "The hall"): shapes of its answers, the live stream a
// display, a phone or a window follows (Server-Sent Events, docs/decisions/0005), and the
// speech the display and the ticket machine use.
import { onBeforeUnmount, ref } from 'vue'

export interface HallGroup {
  id: number
  letter: string
  name: string
  note: string
  bookable: boolean
  waiting?: number
  windows?: number
  windows_open?: number
  wait_min?: number
}

export interface HallSite {
  site: { code: string; name: string; kind: string; address: string }
  hours: { start: string; end: string }[]
  today: string
  weekday: string
  workday: boolean
  issuing: boolean
  closed_reason: string
  groups: HallGroup[]
  waiting: number
}

export interface HallSites {
  halls: { code: string; name: string; kind: string; address: string; groups: HallGroup[] }[]
  hours: { start: string; end: string }[]
  today: string
  issuing: boolean
  closed_reason: string
}

export interface Ticket {
  id: number
  number: string
  site: { code: string; name: string }
  group: { id: number; letter: string; name: string }
  day: string
  state: 'waiting' | 'called' | 'serving' | 'done' | 'no_show' | 'cancelled' | 'expired'
  state_name: string
  priority: number
  green: boolean
  source: 'kiosk' | 'phone' | 'appointment' | 'staff'
  item_name: string
  taken_at: string
  called_at: string | null
  calls: number
  ahead?: number
  wait_min?: number
  window?: { id: number; code: string; name: string }
  message?: string
  token?: string
  // staff view
  appointment?: { id: number; code: string; name: string; start: string; item_name: string; item_id?: number }
  case?: { id: number; case_no: string } | null
  rating?: { level: number; name: string } | null
  service_min?: number
  waited_min?: number
  transfers?: number
  served_at?: string | null
  timeline?: { at: string; action: string; action_name: string; window: string; actor: string; note: string }[]
}

export interface Appointment {
  id: number
  code: string
  site: { code: string; name: string; address: string }
  group: { id: number; letter: string; name: string }
  item: { id: number; name: string }
  day: string
  weekday: string
  slot: number
  start: string
  end: string
  state: 'booked' | 'checked_in' | 'cancelled' | 'no_show'
  state_name: string
  moves: number
  can_cancel: boolean
  can_move: boolean
  checkin_from: string
  checkin_until: string
  booked_at: string
  cancel_reason?: string
  ticket_id?: number
  name?: string
}

export interface Slot {
  slot: number
  start: string
  end: string
  capacity: number
  left: number
  open: boolean
}

export interface Slots {
  site: { code: string; name: string; address: string }
  group: { id: number; letter: string; name: string; bookable: boolean }
  item: { id: number; name: string } | null
  days: { date: string; weekday: string; provisional: boolean; left: number; slots: Slot[] }[]
  rules: { cutoff_min: number; daily_limit: number; checkin_early_min: number }
}

export interface BoardWindow {
  id: number
  code: string
  name: string
  state: 'open' | 'paused' | 'closed'
  number: string | null
  pause_reason?: string
}

export interface Board {
  site: { code: string; name: string }
  day: string
  weekday: string
  now: string
  issuing: boolean
  closed_reason: string
  windows: BoardWindow[]
  calls: { ticket_id: number; number: string; window: string; at: string; state: string }[]
  groups: { id: number; letter: string; name: string; waiting: number }[]
  waiting: number
  longest_wait_min: number
}

export interface CallEvent {
  /** the call's step, the event's id on every node */
  id: number
  ticket_id: number
  number: string
  window: { id: number; code: string; name: string }
  at: string
  calls: number
  recall: boolean
  utterance: string
}

export interface Counter {
  window: { id: number; code: string; name: string }
  site: { code: string; name: string }
  state: 'open' | 'paused' | 'closed'
  clerk_name: string
  since: string | null
  pause: { reason: string; reason_name: string; note: string; since: string; minutes: number } | null
  ticket: Ticket | null
  queue: { id: number; letter: string; name: string; waiting: number; longest_min: number }[]
  waiting: number
  next: { id: number; number: string; priority: number; green: boolean } | null
  today: {
    called: number
    served: number
    no_show: number
    transferred: number
    avg_wait_min: number
    avg_service_min: number
    paused_min: number
  }
  recent: Ticket[]
  windows: { id: number; code: string; name: string; state: string }[]
  groups: { id: number; letter: string; name: string }[]
  pause_reasons: { code: string; name: string }[]
  serves: boolean
}

export interface Assist {
  id: number
  kind: 'help' | 'agent'
  kind_name: string
  org: { id: number; name: string }
  helper_name: string
  applicant_name: string
  id_masked: string
  mobile_masked: string
  item: { id: number | null; name: string }
  case: { id: number; case_no: string } | null
  minutes: number
  started_at: string
  ended_at: string
  day: string
  note: string
  state: 'recorded' | 'confirmed' | 'disputed'
  state_name: string
  confirm_channel: string
  confirm_channel_name: string
  confirmed_at: string | null
  confirm_note?: string
  token?: string
  can_confirm: boolean
}

export const SOURCE_NAMES: Record<Ticket['source'], string> = {
  kiosk: '取号机',
  phone: '手机取号',
  appointment: '预约签到',
  staff: '工作人员代取',
}

/** "14:05" in Shanghai from an ISO instant. */
export function hhmm(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  return new Date(d.getTime() + 8 * 3600e3).toISOString().slice(11, 16)
}

/** Minutes since an ISO instant, by the page's clock. */
export function minutesSince(iso: string | null | undefined, now = Date.now()): number {
  if (!iso) return 0
  return Math.max(0, Math.round((now - new Date(iso).getTime()) / 60000))
}

/**
 * Follow a hall's live stream: `board` gets each new state (the first comes at once), `call`
 * each call of a ticket.  EventSource reconnects by itself and says Last-Event-ID, so calls
 * missed while away are replayed.  `connected` says whether the stream is up.
 */
export function useHallStream(
  site: () => string,
  handlers: { board?: (b: Board) => void; call?: (c: CallEvent) => void },
) {
  const connected = ref(false)
  let es: EventSource | null = null
  function open() {
    close()
    es = new EventSource(`/api/v1/hall/sites/${encodeURIComponent(site())}/events`)
    es.onopen = () => {
      connected.value = true
    }
    es.onerror = () => {
      connected.value = false
    }
    es.addEventListener('board', (e) => handlers.board?.(JSON.parse((e as MessageEvent).data) as Board))
    es.addEventListener('call', (e) => handlers.call?.(JSON.parse((e as MessageEvent).data) as CallEvent))
  }
  function close() {
    es?.close()
    es = null
    connected.value = false
  }
  onBeforeUnmount(close)
  return { connected, open, close }
}

/** Say a sentence in Mandarin with the browser's speech synthesis (no-op without it). */
export function speak(text: string, times = 1): void {
  const synth = window.speechSynthesis
  if (!synth) return
  for (let i = 0; i < times; i++) {
    const u = new SpeechSynthesisUtterance(text)
    u.lang = 'zh-CN'
    u.rate = 0.85
    const voice = synth.getVoices().find((v) => v.lang.replace('_', '-').toLowerCase().startsWith('zh-cn'))
    if (voice) u.voice = voice
    synth.speak(u)
  }
}

/// <reference types="vite/client" />

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

/** The web UI's version (web/package.json), set at build time. */
declare const __OW_WEB_VERSION__: string

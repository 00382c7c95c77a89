// Vite build for the onewindow web UI.
//
// - Element Plus is imported on demand (unplugin-auto-import for ElMessage & co. in
//   scripts, unplugin-vue-components for <el-*> tags in templates), so each chunk only
//   carries the components it uses.
// - vite-plugin-compression2 writes a .br and a .gz next to every compressible file in
//   dist/; the C server sends those (precompressed, with sendfile) to clients that accept
//   br or gzip (src/http/static.c; issue 23).
// - The dev server proxies /api to the C server on 127.0.0.1:8080 (override with
//   OW_API_TARGET), so `npm run dev` works against a real backend.
import { readFileSync } from 'node:fs'
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { compression } from 'vite-plugin-compression2'

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }
const apiTarget = process.env.OW_API_TARGET ?? 'http://127.0.0.1:8080'

export default defineConfig({
  base: '/',
  define: {
    __OW_WEB_VERSION__: JSON.stringify(pkg.version),
  },
  plugins: [
    vue(),
    AutoImport({
      resolvers: [ElementPlusResolver()],
      dts: 'src/auto-imports.d.ts',
    }),
    Components({
      resolvers: [ElementPlusResolver()],
      dts: 'src/components.d.ts',
    }),
    compression({
      algorithms: ['brotliCompress', 'gzip'],
      include: /\.(js|mjs|css|html|svg|json|txt)$/,
      threshold: 0,
      // Every compressible file gets its .br and .gz, even tiny ones where gzip doesn't pay off:
      // the server then never has to decide per file, and the report can check for gaps.
      skipIfLargerOrEqual: false,
      deleteOriginalAssets: false,
    }),
  ],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    // dist/.vite/manifest.json: which chunks each route loads (scripts/bundle-report.mjs)
    manifest: true,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Shared chunks made of Element Plus modules would otherwise be named after their
        // first module ("css-….js"); name them so the bundle report reads well.
        chunkFileNames(chunk) {
          const ids = chunk.moduleIds
          const shared = !chunk.isDynamicEntry && !chunk.facadeModuleId
          const ep = ids.filter((id) => id.includes('/node_modules/element-plus/')).length
          if (shared && (chunk.name === 'css' || (ids.length > 0 && ep * 2 >= ids.length))) {
            return 'assets/element-plus-[hash].js'
          }
          if (ids.some((id) => id.includes('/node_modules/echarts/'))) return 'assets/[name]-echarts-[hash].js'
          return 'assets/[name]-[hash].js'
        },
      },
    },
  },
})

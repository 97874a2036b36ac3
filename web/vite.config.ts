import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Which vendor chunk a module from node_modules belongs to. */
function vendorChunk(id: string): string | null {
  if (!id.includes('node_modules')) return null;
  if (/node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|cookie|set-cookie-parser)[\\/]/.test(id))
    return 'react';
  if (/node_modules[\\/](echarts|zrender|tslib)[\\/]/.test(id)) return 'echarts';
  if (/node_modules[\\/](zod)[\\/]/.test(id)) return 'zod';
  return 'antd';
}

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [{ name: vendorChunk, debugName: 'vendor' }],
        },
      },
    },
  },
});

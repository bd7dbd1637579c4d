// Webpack settings `aio app build` merges into its own when bundling each action
// (appbuilder.md §2.1): it forces target node, commonjs2 output and the entry; we add TypeScript.
// ts-loader runs with transpileOnly because `tsc --noEmit` (npm test) does the type checking, and
// the root tsconfig also covers tests and the sandbox, which a bundle must not type-check.
//
// Size (issue 13: each bundle < 1 MB). aio zips the whole build folder, so the lazily imported
// aio-lib-state and aio-lib-files (lib/platform: `await import(...)`) become separate chunk files
// next to index.js, loaded only by the activations that touch state or files.
const path = require('node:path');
const MinimizerPlugin = require('minimizer-webpack-plugin');

module.exports = {
  devtool: false,
  resolve: {
    // Imports carry no extension (tsconfig moduleResolution Bundler); aio pins `.js` and `.json'
    // only, so `.ts` must be listed here.
    extensions: ['.ts', '.js'],
    alias: {
      // node-fetch@2 (aio-lib-state, aio-lib-core-tvm) takes `Url.URL || whatwgUrl.URL`: Node's own
      // URL always wins, so whatwg-url (with tr46's 254 KB mapping table) is dead weight in every
      // activation that reads state. `false` bundles an empty module in its place.
      'whatwg-url': false,
    },
  },
  // openwhisk is preinstalled in the Runtime nodejs images (appbuilder.md §2.3: "preinstalled in the
  // nodejs images, 3.21.x"); bundling it also dragged in needle with iconv-lite's code tables
  // (~400 KB). No other package is guaranteed by the image, so everything else stays bundled.
  externals: { openwhisk: 'commonjs openwhisk' },
  module: {
    rules: [
      {
        test: /\.ts$/,
        exclude: /node_modules/,
        use: {
          loader: 'ts-loader',
          options: {
            transpileOnly: true,
            configFile: path.join(__dirname, 'tsconfig.json'),
            // The root tsconfig is for checking only (noEmit); a bundle needs emitted ES modules.
            compilerOptions: { noEmit: false, module: 'esnext', sourceMap: false },
          },
        },
      },
    ],
  },
  optimization: {
    // aio turns minification off by default ("breaks some libs"): renaming breaks code that reads
    // class and function names at run time. Bundled here: @azure/storage-blob recognises pipeline
    // factories by `constructor.name` ("TelemetryPolicyFactory", "InjectorPolicyFactory", core-http
    // policy names, and as a fallback after `instanceof` for credentials), aio-lib-files puts
    // `content.constructor.name` in its error details, zod names the schema class in encode errors.
    // esbuild's `keepNames` keeps every class and function name while still shortening locals.
    // esbuild rather than terser: terser needs minutes per action on two cores, and the bundle test
    // (test/runtime/bundle.test.ts) builds and runs the minified bundles on every `npm test`.
    minimize: true,
    minimizer: [
      new MinimizerPlugin({
        minify: MinimizerPlugin.esbuildMinify,
        // node20: actions declare nodejs:22 but must also run on 20; nothing above it is emitted.
        minimizerOptions: { keepNames: true, target: 'node20', legalComments: 'eof' },
      }),
    ],
  },
};

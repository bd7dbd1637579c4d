// Webpack settings `aio app build` merges into its own when bundling each action
// (appbuilder.md §2.1): it forces target node, commonjs2 output and the entry; we add TypeScript.
// ts-loader runs with transpileOnly because `tsc --noEmit` (npm test) does the type checking, and
// the root tsconfig also covers tests and the sandbox, which a bundle must not type-check.
const path = require('node:path');

module.exports = {
  devtool: false,
  resolve: {
    // Imports carry no extension (tsconfig moduleResolution Bundler); aio pins `.js` and `.json'
    // only, so `.ts` must be listed here.
    extensions: ['.ts', '.js'],
  },
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
  // Minifying breaks some Adobe libraries (aio-lib-files bundles the Azure SDK).
  optimization: { minimize: false },
};

export { type Host, type HostOptions, SANDBOX_NAMESPACE, SANDBOX_RUNTIME_AUTH, startHost } from './server';
export { type ActionDeclaration, type AppConfig, loadAppConfig } from './app-config';

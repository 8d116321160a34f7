import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function settingsHandlers(core: Core): HandlersFor<'settings'> {
  return {
    'settings.get': () => core.settings.get(),
    'settings.update': (input, ctx) => core.settings.update(input.changes, ctx.actor),
    'settings.updateOffice': (input, ctx) => core.settings.updateOffice(input.changes, ctx.actor, input.officeVersion),
    'settings.setSmtpPassword': (input, ctx) => core.settings.setSmtpPassword(input.password, ctx.actor),
    'settings.testEmail': (input, ctx) => core.settings.testEmail(input.to, ctx.actor),
    'settings.setOfficeLedger': (input, ctx) => core.officeLedger.set(input, ctx.actor),
    'settings.confirmTimeZone': (input, ctx) => core.settings.confirmTimeZone(input.timeZone, ctx.actor, input.officeVersion),
  };
}

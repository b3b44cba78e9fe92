/**
 * What every tab of the schedule settings shares: the site's catalogue, the scheduling mutators
 * (and a refetch of everything scheduling once one commits, ahead of the live-update event), what
 * the actor's role allows, and turning an AppError into words at the fields or above the buttons.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppErrorShape } from '../../../core/errors';
import { can } from '../../../core/permissions';
import { messageOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { useDesk } from '../shell/desk-context';
import type { SchedulingMutation } from './catalog-types';
import type { FieldMessage, FormErrors } from './form-values';

export function useCatalog(siteId: string) {
  const trpc = useTRPC();
  return useQuery(trpc.scheduling.catalog.queryOptions({ siteId }));
}

export function useSchedulingMutate() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mutation = useMutation(
    trpc.scheduling.mutate.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.scheduling.pathKey() }),
    }),
  );
  const { mutateAsync } = mutation;
  const mutate = useCallback((m: SchedulingMutation): Promise<unknown> => mutateAsync(m), [mutateAsync]);
  return { mutate, pending: mutation.isPending };
}

export interface SchedulePermissions {
  /** Opening hours, booking rules, holidays, 调休 days, planned closures. */
  site: boolean;
  /** Departments, resources and their rotas, services, class sessions. */
  schedule: boolean;
  /** Close the site now, reopen it. */
  close: boolean;
}

export function usePermissions(): SchedulePermissions {
  const { info } = useDesk();
  const role = info?.actor.role;
  return {
    site: role !== undefined && can(role, 'site.manage'),
    schedule: role !== undefined && can(role, 'schedule.manage'),
    close: role !== undefined && can(role, 'site.close'),
  };
}

/** Words for one field message; a key this UI does not know reads as a generic error. */
export function useFieldText() {
  const { t } = useTranslation();
  return useCallback((m: FieldMessage | undefined): string | undefined => (m ? messageOf(t, m.key, m.params) : undefined), [t]);
}

/**
 * What a refusal shows above the buttons: its message, unless each of its issues is already at a
 * field on screen; plus the issues that have no field on screen.
 */
export function useGeneralText() {
  const { t } = useTranslation();
  return useCallback(
    (error: AppErrorShape, placed: FormErrors, isShown: (path: string) => boolean): string | null => {
      const shown = Object.keys(placed).filter(isShown);
      const elsewhere = Object.entries(placed)
        .filter(([path]) => !isShown(path))
        .map(([, m]) => messageOf(t, m.key, m.params));
      const head = shown.length > 0 && elsewhere.length === 0 ? null : messageOf(t, error.key, error.params);
      const text = [...new Set([head, ...elsewhere].filter((s): s is string => s !== null))].join(' ');
      return text === '' ? null : text;
    },
    [t],
  );
}

/** Props for an antd Form.Item that shows a message of ours (or nothing). */
export function statusOf(text: string | undefined): { validateStatus?: 'error'; help?: string } {
  return text ? { validateStatus: 'error', help: text } : {};
}

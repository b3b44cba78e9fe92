/**
 * The server's API for desks besides sync (/api): enrolling with a one-time code, staff sign-in
 * on an enrolled desk, and the staff directory. Inputs are validated by the handlers' own schemas
 * so their field issues carry message keys.
 */
import { enrollDevice, type EnrollInput } from '../auth/devices';
import { staffDirectory, staffLogin, type LoginInput } from '../auth/staff-auth';
import { deviceProcedure, publicProcedure, router, validatedByHandler } from './trpc';

export const apiRouter = router({
  /** Public: a new desk trades an enrollment code for its device id and bearer token. */
  enroll: publicProcedure.input(validatedByHandler<EnrollInput>()).mutation(({ ctx, input }) => enrollDevice(ctx.store, ctx, input)),
  /** A member of staff of the device's organization signs in on it. */
  login: deviceProcedure.input(validatedByHandler<LoginInput>()).mutation(({ ctx, input }) => staffLogin(ctx.store, ctx.device, input)),
  staff: router({
    /** Active staff who may sign in on this desk, without password hashes. */
    directory: deviceProcedure.query(({ ctx }) => staffDirectory(ctx.store, ctx.device)),
  }),
});

export type ApiRouter = typeof apiRouter;

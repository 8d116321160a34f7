import { useState } from 'react';
import type { ApprovalInput } from '../../../../shared/contract/auth';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { needsSupervisorApproval } from '../../components/ApprovalDialog';

/**
 * Sends a supervisor's write; when main answers that a clerk needs a supervisor, `asking` turns on
 * for the ApprovalDialog, whose `approve` sends it again with the approval. Field errors land in
 * `fields`, anything else in `problem`.
 */
export function useApprovedWrite<T>(send: (approval?: ApprovalInput) => Promise<T>, onDone: (result: T) => void) {
  const [asking, setAsking] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);

  const run = async (approval?: ApprovalInput): Promise<string | null> => {
    setProblem(null);
    try {
      const result = await send(approval);
      setAsking(false);
      onDone(result);
      return null;
    } catch (err) {
      if (needsSupervisorApproval(err)) {
        if (approval) return toAppError(err).message;
        setAsking(true);
        return null;
      }
      setAsking(false);
      const f = fieldErrorsOf(err);
      if (Object.keys(f).length > 0) setFields(f);
      else setProblem(toAppError(err).message);
      return null;
    }
  };
  const clearField = (name: string) => setFields((f) => (name in f ? Object.fromEntries(Object.entries(f).filter(([k]) => k !== name)) : f));
  return { asking, cancelAsking: () => setAsking(false), fields, setFields, clearField, problem, run };
}


import { useQueryClient } from '@tanstack/react-query';
import type { MeView } from '../../../common/contracts/api.ts';

/** True in a contractor portal, where the claim decision is the job approval (spec §1 Decision). */
export function useContractor(): boolean {
  const me = useQueryClient().getQueryData<MeView>(['me']);
  return me?.company.portalType === 'contractor';
}

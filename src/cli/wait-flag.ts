import { Flags } from '@oclif/core';

export const waitFlag = {
  wait: Flags.boolean({
    description: 'follow the deployment until it ends (in local mode its job runs in this process); exit 1 if it fails',
    default: false,
  }),
};

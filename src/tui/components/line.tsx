import { Text } from 'ink';
import { fit } from '../text.js';

export interface LineProps {
  text: string;
  width: number;
  color?: string;
  bold?: boolean;
  inverse?: boolean;
  dim?: boolean;
}

/** One screen line, cut and padded to the width, so nothing the API sends can wrap the layout. */
export function Line({ text, width, color, bold, inverse, dim }: LineProps) {
  return (
    <Text color={color} bold={bold} inverse={inverse} dimColor={dim} wrap="truncate">
      {fit(text, width)}
    </Text>
  );
}

import type { CSSProperties } from 'react';
import classes from './FitFigure.module.css';

/**
 * An amount as text that shrinks only when it would overflow its container (see the CSS); `reserve`
 * counts characters' room taken by what sits around it in the container (a badge's padding).
 */
export function FitFigure({ text, reserve = 0 }: { text: string; reserve?: number }) {
  return (
    <span className={classes.figure} style={{ '--chars': text.length + reserve } as CSSProperties}>
      {text}
    </span>
  );
}

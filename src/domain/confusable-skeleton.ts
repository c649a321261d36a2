import unhomoglyph from 'unhomoglyph';

// UTS #39 §4 "Confusable Detection" (https://www.unicode.org/reports/tr39/#Confusable_Detection):
//   skeleton(X) = NFD(prototypes(remove Default_Ignorable_Code_Point(NFD(X))))
// The prototype of each character comes from Unicode's confusables.txt, which `unhomoglyph`
// (nodeca) ships as data and applies; we keep no table of our own. Its data is confusables.txt
// 13.0.0: characters added to Unicode since then map to themselves, which only makes the hint
// miss, never invent a match.

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * The UTS #39 skeleton of a text: two texts that look alike ("Аlice" with a Cyrillic А, "Alice")
 * have the same skeleton. For comparing only: a skeleton is a hodgepodge of scripts ("m" becomes
 * "rn"), never to be shown or stored as a name.
 */
export function confusableSkeleton(text: string): string {
  return unhomoglyph(text.normalize('NFD').replace(IGNORABLE, '')).normalize('NFD');
}

/** What the person typed into the submit form, kept so that a rejected form comes back filled in. */
export interface DeclarantFormValues {
  displayName: string;
  nameKind: string;
  organizations: string[];
  region: string;
  occupation: string;
}

export interface SubmitFormValues {
  title: string;
  text: string;
  contact: string;
  declarants: DeclarantFormValues[];
}

export function emptyDeclarant(): DeclarantFormValues {
  return { displayName: '', nameKind: 'pseudonym', organizations: [], region: '', occupation: '' };
}

export function emptyForm(): SubmitFormValues {
  return { title: '', text: '', contact: '', declarants: [emptyDeclarant()] };
}

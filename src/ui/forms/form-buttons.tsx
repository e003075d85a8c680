/**
 * rjsf's array buttons as plain text buttons in the UI's language: its default ones are icons
 * from a Bootstrap font that Alur does not ship, and an icon's glyph would become the button's name.
 */
import { TranslatableString, type IconButtonProps, type TemplatesType } from '@rjsf/utils';

function textButton(string: TranslatableString, danger = false) {
  return function TextButton({ className, iconType: _iconType, icon: _icon, uiSchema: _uiSchema, registry, ...rest }: IconButtonProps) {
    return (
      <button type="button" {...rest} className={`secondary small ${danger ? 'danger-outline' : ''} ${className ?? ''}`}>
        {registry.translateString(string)}
      </button>
    );
  };
}

export const buttonTemplates: Partial<TemplatesType['ButtonTemplates']> = {
  AddButton: textButton(TranslatableString.AddItemButton),
  RemoveButton: textButton(TranslatableString.RemoveButton, true),
  MoveUpButton: textButton(TranslatableString.MoveUpButton),
  MoveDownButton: textButton(TranslatableString.MoveDownButton),
  CopyButton: textButton(TranslatableString.CopyButton),
};

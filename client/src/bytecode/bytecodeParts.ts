// What the bytecode views need once one is used: the custom editor, the previews and the render
// count the integration tests watch. The desktop build bundles it apart (out/parts/bytecode.js),
// loaded on first use by bytecodeViews.ts, so activation does not load the disassembler.
export { BytecodeEditorProvider } from "./bytecodeEditorProvider";
export { BytecodePreviews } from "./bytecodePreview";
export { TextPreviews } from "./textPreview";
export { onDidRender, renderCount } from "./bytecodeChannel";
export { compile } from "../../../compiler/src/bytecode";

